package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.HostDrainJson;
import io.vireo.api.json.HostJson;
import io.vireo.api.json.NewCapacityPolicyJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.controller.CatalogService;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostDrains;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Page;
import io.vireo.model.Host;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code /hosts}: registered by their agents; an operator may set a host's capacity policy (reserved amounts and
 * allocation ratios) and drop it again, take it out of placement (maintenance), empty it by live migration (drain),
 * confirm a lost host is off (evacuate) and delete an empty host (ADR 26). Thread-safe.
 */
public final class HostResource {
    static final String PATH = ApiPaths.V1 + "/hosts";

    private final HostRepository hosts;
    private final CatalogService catalog;
    private final HostDeletions deletions;
    private final @Nullable HostDrains drains;

    /** @param drains host drains; null to serve no drain routes */
    public HostResource(
            HostRepository hosts, CatalogService catalog, HostDeletions deletions, @Nullable HostDrains drains) {
        this.hosts = requireNonNull(hosts, "hosts is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.deletions = requireNonNull(deletions, "deletions is null");
        this.drains = drains;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(hostRoutes());
        if (drains != null) {
            routes.addAll(drainRoutes(drains));
        }
        return routes;
    }

    private List<Route> drainRoutes(HostDrains drains) {
        return List.of(
                Route.of(
                        HttpMethod.POST,
                        PATH + "/{nameOrId}/drain",
                        Operation.builder(
                                        "drainHost",
                                        "Empty the host: it goes into MAINTENANCE and its running VMs are"
                                                + " live-migrated away, two at a time, to hosts the scheduler picks;"
                                                + " the drain ends by itself when no VM is left (an UP, DOWN or"
                                                + " MAINTENANCE host; idempotent)")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(202, "The drain, started", Payload.of(HostDrainJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        request -> {
                            Host host = host(request);
                            return ApiResponse.accepted(
                                    HostDrainJson.of(drains.start(host.id(), request.context())),
                                    PATH + "/" + host.id() + "/drain");
                        }),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}/drain",
                        Operation.builder("getHostDrain", "How far the host's drain is")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The drain", Payload.of(HostDrainJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        request -> ApiResponse.ok(
                                HostDrainJson.of(drains.progress(host(request).id())))),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{nameOrId}/drain",
                        Operation.builder(
                                        "cancelHostDrain",
                                        "Stop draining the host; it stays in MAINTENANCE and migrations under way"
                                                + " finish (idempotent)")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host's drain, ended", Payload.of(HostDrainJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        request -> ApiResponse.ok(
                                HostDrainJson.of(drains.cancel(host(request).id())))));
    }

    private List<Route> hostRoutes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listHosts", "List hosts, ordered by name")
                                .paged()
                                .responds(200, "A page of hosts", Payload.pageOf(HostJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}",
                        Operation.builder("getHost", "Get a host")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{nameOrId}",
                        Operation.builder(
                                        "deleteHost",
                                        "Delete a host that is empty and out of service: in MAINTENANCE, DOWN or"
                                                + " FENCED, with no VM placed on it, no migration to or from it in"
                                                + " flight, no open drain and no volume holding data there. Its"
                                                + " certificates are revoked and its agent disconnected at once; the"
                                                + " host is kept for history but no longer listed, and its name can be"
                                                + " enrolled again as a new host")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(204, "The host is deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete),
                Route.of(
                        HttpMethod.PUT,
                        PATH + "/{nameOrId}/capacity-policy",
                        Operation.builder(
                                        "setHostCapacityPolicy",
                                        "Set the host's reserved amounts and allocation ratios (overcommit), which its"
                                                + " later registrations keep; refused if more is allocated than they"
                                                + " allow")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .requestBody(NewCapacityPolicyJson.class)
                                .responds(200, "The host under its new policy", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::setCapacityPolicy),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{nameOrId}/capacity-policy",
                        Operation.builder(
                                        "resetHostCapacityPolicy",
                                        "Drop the host's own capacity policy: it takes the server's defaults again,"
                                                + " with the reservations its agent reports in place of the"
                                                + " default's; refused if more is allocated than they allow")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(204, "The host is under the server's default policy", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::resetCapacityPolicy),
                Route.of(
                        HttpMethod.PUT,
                        PATH + "/{nameOrId}/maintenance",
                        Operation.builder(
                                        "enterHostMaintenance",
                                        "Take the host out of placement: no new VM goes there, its VMs keep running"
                                                + " (an UP or DOWN host; idempotent)")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host, in MAINTENANCE", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::enterMaintenance),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{nameOrId}/maintenance",
                        Operation.builder("leaveHostMaintenance", "Put the host back in placement (idempotent)")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::leaveMaintenance),
                Route.of(
                        HttpMethod.POST,
                        PATH + "/{nameOrId}/evacuate",
                        Operation.builder(
                                        "evacuateHost",
                                        "Confirm that a DOWN or SUSPECT host is off: it becomes FENCED and its VMs are"
                                                + " restarted elsewhere by their HA policy. Only for a host known to be"
                                                + " off: its VMs would otherwise run twice until it reconnects")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host, FENCED", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::evacuate));
    }

    private ApiResponse delete(ApiRequest request) {
        Host host = host(request);
        request.auditTarget(host.id(), host.name());
        deletions.delete(host.id(), request.context());
        return ApiResponse.noContent();
    }

    private ApiResponse enterMaintenance(ApiRequest request) {
        Host host = Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
        return ApiResponse.ok(HostJson.of(catalog.enterMaintenance(host.id())));
    }

    private ApiResponse leaveMaintenance(ApiRequest request) {
        Host host = Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
        return ApiResponse.ok(HostJson.of(catalog.leaveMaintenance(host.id())));
    }

    private ApiResponse evacuate(ApiRequest request) {
        Host host = Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
        return ApiResponse.ok(HostJson.of(catalog.evacuate(host.id())));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Host> page = NamePages.page(
                hosts.list(), Host::name, request.limit(), request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(HostJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse setCapacityPolicy(ApiRequest request) {
        NewCapacityPolicyJson body = request.body(NewCapacityPolicyJson.class);
        Host host = Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
        return ApiResponse.ok(HostJson.of(catalog.setCapacityPolicy(host.id(), body.policy())));
    }

    private ApiResponse resetCapacityPolicy(ApiRequest request) {
        Host host = Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
        catalog.resetCapacityPolicy(host.id());
        return ApiResponse.noContent();
    }

    private Host host(ApiRequest request) {
        return Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(HostJson.of(Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"))));
    }
}
