package io.vireo.api.auth;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Project;
import io.vireo.model.Role;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of who may call which route: every route, by method and path template, maps to the roles allowed, and
 * a route that is not in the table is refused (deny by default; {@code AccessPolicyTest} fails for any route of the
 * router that lacks an entry). The roles are checked before the request's body is read or any object is looked up.
 *
 * <p>Which objects a caller reaches is the services' business: a route of {@link Scope#PROJECT} scope reaches only the
 * caller's project's objects, and another project's object answers 404 as if it did not exist. Routes of {@link
 * Scope#SYSTEM} scope act on hosts and flavors, which belong to no project: every role reads them, only admins change
 * them.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessPolicy {
    /** What a route's objects belong to. */
    public enum Scope {
        /** No token needed: the health check, the OpenAPI document and a person's login. */
        PUBLIC,
        /** Hosts, flavors: the system's. */
        SYSTEM,
        /** The caller's project's objects (and, for an admin, the cloud's projects and users). */
        PROJECT,
        /**
         * The cloud as a whole, such as its metrics (ADR 21): for the admin project's users only, in the roles listed; a
         * reader service account of the admin project is a scraper's credential.
         */
        CLOUD
    }

    /** Who may call a route; a public route has no roles. */
    public record Rule(Scope scope, Set<Role> roles) {
        public Rule {
            requireNonNull(scope, "scope is null");
            roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
            if ((scope == Scope.PUBLIC) != roles.isEmpty()) {
                throw new IllegalArgumentException("a public route and only a public route names no role");
            }
        }

        public boolean allows(Role role) {
            return roles.contains(role);
        }

        public boolean isPublic() {
            return scope == Scope.PUBLIC;
        }

        /** Whether a caller whose own project is {@code projectId} with {@code role} may call the route. */
        public boolean allows(Role role, java.util.UUID projectId) {
            return allows(role) && (scope != Scope.CLOUD || projectId.equals(Project.ADMIN_ID));
        }
    }

    private static final String V1 = "/api/v1";

    private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> MEMBERS = EnumSet.of(Role.ADMIN, Role.PROJECT_ADMIN, Role.MEMBER);
    private static final Set<Role> PROJECT_ADMINS = EnumSet.of(Role.ADMIN, Role.PROJECT_ADMIN);
    private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

    private static final AccessPolicy STANDARD = new Builder()
            // public
            .rule("GET /healthz", Scope.PUBLIC, Set.of())
            .rule("GET " + V1 + "/openapi.json", Scope.PUBLIC, Set.of())
            .rule("POST " + V1 + "/auth/tokens", Scope.PUBLIC, Set.of())
            // identity
            .rule("GET " + V1 + "/auth/caller", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/projects", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/projects/{name}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/projects", Scope.PROJECT, ADMINS)
            .rule("DELETE " + V1 + "/projects/{name}", Scope.PROJECT, ADMINS)
            // a project's quota: its users read it, only admins change it (no project raises its own)
            .rule("GET " + V1 + "/projects/{name}/quota", Scope.PROJECT, EVERYONE)
            .rule("PUT " + V1 + "/projects/{name}/quota", Scope.PROJECT, ADMINS)
            .rule("GET " + V1 + "/users", Scope.PROJECT, PROJECT_ADMINS)
            .rule("GET " + V1 + "/users/{name}", Scope.PROJECT, PROJECT_ADMINS)
            .rule("POST " + V1 + "/users", Scope.PROJECT, PROJECT_ADMINS)
            .rule("DELETE " + V1 + "/users/{name}", Scope.PROJECT, PROJECT_ADMINS)
            // a reader's own tokens come from logins; making, revoking and deleting tokens is a member's
            .rule("GET " + V1 + "/tokens", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/tokens", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/tokens/{id}/revoke", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/tokens/{id}", Scope.PROJECT, MEMBERS)
            // the system's hosts and flavors
            .rule("GET " + V1 + "/hosts", Scope.SYSTEM, EVERYONE)
            .rule("GET " + V1 + "/hosts/{nameOrId}", Scope.SYSTEM, EVERYONE)
            .rule("DELETE " + V1 + "/hosts/{nameOrId}", Scope.SYSTEM, ADMINS)
            .rule("PUT " + V1 + "/hosts/{nameOrId}/capacity-policy", Scope.SYSTEM, ADMINS)
            .rule("DELETE " + V1 + "/hosts/{nameOrId}/capacity-policy", Scope.SYSTEM, ADMINS)
            .rule("PUT " + V1 + "/hosts/{nameOrId}/maintenance", Scope.SYSTEM, ADMINS)
            .rule("DELETE " + V1 + "/hosts/{nameOrId}/maintenance", Scope.SYSTEM, ADMINS)
            .rule("POST " + V1 + "/hosts/{nameOrId}/evacuate", Scope.SYSTEM, ADMINS)
            // a drain's progress names VMs of every project
            .rule("POST " + V1 + "/hosts/{nameOrId}/drain", Scope.SYSTEM, ADMINS)
            .rule("GET " + V1 + "/hosts/{nameOrId}/drain", Scope.SYSTEM, ADMINS)
            .rule("DELETE " + V1 + "/hosts/{nameOrId}/drain", Scope.SYSTEM, ADMINS)
            // a join token makes a machine a host of the cloud (ADR 15): the system administrator's alone
            .rule("POST " + V1 + "/hosts/join-tokens", Scope.SYSTEM, ADMINS)
            .rule("GET " + V1 + "/flavors", Scope.SYSTEM, EVERYONE)
            .rule("GET " + V1 + "/flavors/{name}", Scope.SYSTEM, EVERYONE)
            .rule("POST " + V1 + "/flavors", Scope.SYSTEM, ADMINS)
            .rule("DELETE " + V1 + "/flavors/{name}", Scope.SYSTEM, ADMINS)
            // the project's images (and the admin project's, which are public)
            .rule("GET " + V1 + "/images", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/images/{name}", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/images/{nameOrId}/file", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/images", Scope.PROJECT, MEMBERS)
            .rule("PUT " + V1 + "/images/{nameOrId}/file", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/images/{name}", Scope.PROJECT, MEMBERS)
            // volumes and server groups
            .rule("GET " + V1 + "/volumes", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/volumes/{name}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/volumes", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/volumes/{name}", Scope.PROJECT, MEMBERS)
            .rule("GET " + V1 + "/server-groups", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/server-groups/{name}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/server-groups", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/server-groups/{name}", Scope.PROJECT, MEMBERS)
            // networks, subnets and ports (ADR 23)
            .rule("GET " + V1 + "/networks", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/networks/{name}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/networks", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/networks/{name}", Scope.PROJECT, MEMBERS)
            .rule("GET " + V1 + "/subnets", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/subnets/{name}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/subnets", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/subnets/{name}", Scope.PROJECT, MEMBERS)
            .rule("GET " + V1 + "/ports", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/ports/{nameOrId}", Scope.PROJECT, EVERYONE)
            .rule("POST " + V1 + "/ports", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/ports/{nameOrId}", Scope.PROJECT, MEMBERS)
            // VMs
            .rule("GET " + V1 + "/vms", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/vms/{nameOrId}", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/vms/{nameOrId}/stats", Scope.PROJECT, EVERYONE)
            // a console may show what a reader should not (boot messages, keys printed by cloud-init), as in Nova
            .rule("GET " + V1 + "/vms/{nameOrId}/console", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms", Scope.PROJECT, MEMBERS)
            .rule("DELETE " + V1 + "/vms/{nameOrId}", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms/{nameOrId}/start", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms/{nameOrId}/stop", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms/{nameOrId}/reboot", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms/{nameOrId}/pause", Scope.PROJECT, MEMBERS)
            .rule("POST " + V1 + "/vms/{nameOrId}/resume", Scope.PROJECT, MEMBERS)
            // live migration chooses hosts, the operators' business (admin-only in Nova as well)
            .rule("POST " + V1 + "/vms/{nameOrId}/actions/migrate", Scope.PROJECT, ADMINS)
            .rule("GET " + V1 + "/vms/{nameOrId}/migrations", Scope.PROJECT, EVERYONE)
            .rule("GET " + V1 + "/vms/{nameOrId}/migrations/{migrationId}", Scope.PROJECT, EVERYONE)
            // events: an admin's are every project's, anyone else's their project's
            .rule("GET " + V1 + "/events", Scope.PROJECT, EVERYONE)
            // the audit log (ADR 16): an admin's is every project's, a project admin's their project's; members and
            // readers see what happened to their objects in the events, not who did what
            .rule("GET " + V1 + "/audit", Scope.PROJECT, PROJECT_ADMINS)
            // metrics (ADR 21): cloud-wide figures, for the admin project's users; Prometheus scrapes with a reader
            // service account's token
            .rule("GET /metrics", Scope.CLOUD, EVERYONE)
            .rule("GET " + V1 + "/metrics/targets", Scope.CLOUD, EVERYONE)
            // alerts (ADR 24): about every host and project, so cloud-wide like the metrics
            .rule("GET " + V1 + "/alerts", Scope.CLOUD, EVERYONE)
            .rule("GET " + V1 + "/alerts/rules", Scope.CLOUD, EVERYONE)
            .build();

    private final Map<String, Rule> rules;

    private AccessPolicy(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** Vireo's policy. */
    public static AccessPolicy standard() {
        return STANDARD;
    }

    /** The rule of the route {@code method path} (the path template, e.g. {@code /api/v1/vms/{nameOrId}}). */
    public Optional<Rule> rule(String method, String pathTemplate) {
        return Optional.ofNullable(rules.get(method + " " + pathTemplate));
    }

    /** Every route the table names, as {@code METHOD path}. */
    public Set<String> routes() {
        return rules.keySet();
    }

    /** A policy without {@code route}, for the test that a route missing from the table is refused. */
    public AccessPolicy without(String route) {
        Map<String, Rule> fewer = new LinkedHashMap<>(rules);
        fewer.remove(route);
        return new AccessPolicy(fewer);
    }

    private static final class Builder {
        private final Map<String, Rule> rules = new LinkedHashMap<>();

        Builder rule(String route, Scope scope, Set<Role> roles) {
            if (rules.put(route, new Rule(scope, roles)) != null) {
                throw new IllegalStateException("two rules for " + route);
            }
            return this;
        }

        AccessPolicy build() {
            return new AccessPolicy(rules);
        }
    }
}
