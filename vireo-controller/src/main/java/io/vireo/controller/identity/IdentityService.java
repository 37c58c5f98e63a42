package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.ProjectRepository;
import io.vireo.model.ApiToken;
import io.vireo.model.Project;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Projects and their quotas, users, service accounts and API tokens, and the checks that go with them:
 *
 * <ul>
 *   <li>a caller sees only its own project's users and tokens (an admin sees all); anything else is NOT_FOUND, so
 *       that no one learns what another project holds;
 *   <li>no one grants a role they do not hold: a new user's role, and the role of a user whose token one makes or whom
 *       one deletes, must be included in the caller's ({@link Role#includes}); {@link Role#ADMIN} exists only in the
 *       admin project;
 *   <li>a token is valid while its row says so: every request reads it ({@link #authenticate}), so a revocation holds
 *       at once on every replica, and the user's role is read with it, so a deleted user's tokens stop at once.
 * </ul>
 *
 * <p>Which roles may call which route is the API's policy table; this class enforces what depends on the objects.
 * Thread-safe: state lives in the store.
 */
public final class IdentityService {
    /** A hash of no one's password, checked when the user is unknown, so that a login takes as long either way. */
    private final String decoyHash;

    private final IdentityRepositories store;
    private final PasswordHasher passwords;
    private final TokenSecrets secrets;
    private final IdGenerator ids;
    private final Clock clock;
    private final IdentitySettings settings;

    public IdentityService(
            IdentityRepositories store,
            IdentitySettings settings,
            IdGenerator ids,
            Clock clock,
            RandomGenerator random) {
        this.store = requireNonNull(store, "store is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.passwords = new PasswordHasher(settings.passwordIterations(), random);
        this.secrets = new TokenSecrets(random);
        this.decoyHash = passwords.hash(secrets.next());
    }

    /**
     * The principal a bearer token acts as, if the token exists, is neither revoked nor expired, and its user still
     * exists. Reads the store on every call.
     */
    public Optional<Principal> authenticate(String token) {
        requireNonNull(token, "token is null");
        Instant now = clock.instant();
        return store.tokens()
                .findBySha256(TokenSecrets.sha256(token))
                .filter(found -> found.validAt(now))
                .flatMap(found -> store.users().find(found.userId()))
                .map(Principal::of);
    }

    /** Logs a person in: a token for {@link IdentitySettings#loginTokenLifetime()}; UNAUTHENTICATED otherwise. */
    public IssuedToken login(String userName, String password) {
        requireNonNull(userName, "userName is null");
        requireNonNull(password, "password is null");
        Optional<User> user = Names.isValid(userName) ? store.users().findByName(userName) : Optional.empty();
        String hash = user.filter(u -> u.kind() == UserKind.PERSON)
                .flatMap(u -> store.users().passwordHash(u.id()))
                .orElse(decoyHash);
        boolean matches = passwords.verify(password, hash);
        if (user.isEmpty() || !matches || hash.equals(decoyHash)) {
            throw new VireoException(ErrorCode.UNAUTHENTICATED, "unknown user or wrong password");
        }
        return issue(user.get(), "login", settings.loginTokenLifetime());
    }

    /**
     * Makes the built-in administrator able to log in with {@code password} if it has no password yet (its first
     * start); a password set before is kept. Creates the administrator if the store lacks it.
     */
    public void ensureAdminPassword(String password) {
        Optional<User> admin = store.users().find(User.ADMIN_ID);
        if (admin.isEmpty()) {
            store.users()
                    .create(
                            new User(
                                    User.ADMIN_ID,
                                    User.ADMIN_NAME,
                                    Project.ADMIN_ID,
                                    Role.ADMIN,
                                    UserKind.PERSON,
                                    clock.instant()),
                            passwords.hash(password));
        } else if (store.users().passwordHash(User.ADMIN_ID).isEmpty()) {
            store.users().setPasswordHash(User.ADMIN_ID, passwords.hash(password));
        }
    }

    // --- projects

    public Project createProject(RequestContext context, String name) {
        requireAdmin(context, "create projects");
        Names.require("name", name);
        return store.projects().create(new Project(ids.next(), name, clock.instant()), settings.defaultQuota());
    }

    /** A project's quota, to an admin or the project's own users; NOT_FOUND for another project. */
    public ProjectQuota quota(RequestContext context, String projectName) {
        return store.quotas().find(project(context, projectName).id());
    }

    /**
     * Sets or removes (empty: unlimited) the named limits of a project's quota; admins only, so that no project raises
     * its own. A limit below what is used is accepted: it refuses new creates and takes nothing away.
     */
    public ProjectQuota setQuota(RequestContext context, String projectName, Map<QuotaResource, OptionalLong> changes) {
        requireAdmin(context, "set quotas");
        Project project = project(context, projectName);
        changes.forEach((resource, limit) -> limit.ifPresent(value -> {
            if (value < 0 || value > ProjectQuota.MAX_LIMIT) {
                throw VireoException.invalid(resource.key(), "must be 0-" + ProjectQuota.MAX_LIMIT + " or unlimited");
            }
        }));
        return store.quotas().setLimits(project.id(), changes);
    }

    /** Every project for an admin; the caller's own otherwise. */
    public List<Project> projects(RequestContext context) {
        if (context.principal().admin()) {
            return store.projects().list();
        }
        return store.projects().find(context.projectId()).stream().toList();
    }

    /** A project the caller may see: any for an admin, else only its own. */
    public Project project(RequestContext context, String name) {
        return store.projects()
                .findByName(name)
                .filter(p -> context.principal().admin() || p.id().equals(context.projectId()))
                .orElseThrow(() -> VireoException.notFound("project", name));
    }

    /** Deletes an empty project; never the admin project. */
    public void deleteProject(RequestContext context, String name) {
        requireAdmin(context, "delete projects");
        Project project = project(context, name);
        if (project.id().equals(Project.ADMIN_ID)) {
            throw VireoException.conflict("the admin project cannot be deleted");
        }
        ProjectRepository.Deletion outcome = store.projects().delete(project.id());
        switch (outcome) {
            case DELETED -> {}
            case NOT_FOUND -> throw VireoException.notFound("project", name);
            case IN_USE ->
                throw new VireoException(
                        ErrorCode.CONFLICT,
                        "project '" + name + "' still has users, VMs, volumes, images or server groups: delete them"
                                + " first",
                        Map.of("kind", "project", "name", name));
        }
    }

    // --- users

    public User createUser(RequestContext context, NewUser request) {
        Names.require("name", request.name());
        Principal caller = context.principal();
        Project project = request.project() == null ? ownProject(context) : project(context, request.project());
        requireGrantable(caller, request.role());
        if (request.role() == Role.ADMIN && !project.id().equals(Project.ADMIN_ID)) {
            throw VireoException.invalid("role", "only users of the admin project may be admins");
        }
        String hash = switch (request.kind()) {
            case PERSON -> passwords.hash(requirePassword(request.password()));
            case SERVICE_ACCOUNT -> {
                if (request.password() != null) {
                    throw VireoException.invalid("password", "a service account has no password: it uses API tokens");
                }
                yield null;
            }
        };
        User user = new User(ids.next(), request.name(), project.id(), request.role(), request.kind(), clock.instant());
        return store.users().create(user, hash);
    }

    /** Every user for an admin; the users of the caller's project otherwise. */
    public List<User> users(RequestContext context) {
        return store.users().list(context.principal().admin() ? null : context.projectId());
    }

    /** A user the caller may see: any for an admin, else one of its project. */
    public User user(RequestContext context, String name) {
        Optional<User> user = Names.isValid(name) ? store.users().findByName(name) : Optional.empty();
        return user.filter(u -> visible(context, u.projectId()))
                .orElseThrow(() -> VireoException.notFound("user", name));
    }

    /** Deletes a user and their tokens; never the built-in administrator, nor someone with a role the caller lacks. */
    public void deleteUser(RequestContext context, String name) {
        User user = user(context, name);
        if (user.id().equals(User.ADMIN_ID)) {
            throw VireoException.conflict("the built-in admin user cannot be deleted");
        }
        requireGrantable(context.principal(), user.role());
        if (!store.users().delete(user.id())) {
            throw VireoException.notFound("user", name);
        }
    }

    // --- tokens

    /**
     * A new token for the caller, or for a service account of the caller's project (the caller a project admin with
     * the account's role). The returned text is shown once: only its hash is kept.
     */
    public IssuedToken createToken(RequestContext context, NewToken request) {
        Principal caller = context.principal();
        User user;
        if (request.user() == null || request.user().equals(caller.name())) {
            UUID self = caller.userId();
            if (self == null) {
                throw VireoException.invalid("user", "Vireo itself holds no tokens");
            }
            user = store.users().find(self).orElseThrow(() -> VireoException.notFound("user", caller.name()));
        } else {
            user = user(context, request.user());
            if (user.kind() != UserKind.SERVICE_ACCOUNT) {
                throw new VireoException(
                        ErrorCode.PERMISSION_DENIED,
                        "tokens are made for oneself or for a service account; '" + user.name() + "' is a person");
            }
            if (!caller.role().includes(Role.PROJECT_ADMIN)) {
                throw forbidden("only a project admin makes tokens for service accounts");
            }
            requireGrantable(caller, user.role());
        }
        if (request.description().length() > ApiToken.MAX_DESCRIPTION_LENGTH) {
            throw VireoException.invalid(
                    "description", "must be at most " + ApiToken.MAX_DESCRIPTION_LENGTH + " characters");
        }
        Duration lifetime = request.lifetime() == null ? settings.defaultTokenLifetime() : request.lifetime();
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(settings.maxTokenLifetime()) > 0) {
            throw VireoException.invalid(
                    "expiresInSeconds",
                    "must be 1.." + settings.maxTokenLifetime().toSeconds() + " seconds");
        }
        return issue(user, request.description(), lifetime);
    }

    /** The caller's tokens; a project admin's lists the project's, an admin's every token. */
    public List<TokenListing> tokens(RequestContext context) {
        Principal caller = context.principal();
        List<ApiToken> tokens;
        if (caller.admin()) {
            tokens = store.tokens().list(null, null);
        } else if (caller.role().includes(Role.PROJECT_ADMIN)) {
            tokens = store.tokens().list(caller.projectId(), null);
        } else {
            tokens = store.tokens().list(null, requireNonNull(caller.userId(), "a user calls"));
        }
        return tokens.stream()
                .flatMap(
                        token -> store.users().find(token.userId()).stream().map(user -> new TokenListing(token, user)))
                .toList();
    }

    /** Revokes a token the caller manages (see {@link #tokens}); it stops working at once, everywhere. */
    public void revokeToken(RequestContext context, UUID tokenId) {
        manageableToken(context, tokenId);
        if (!store.tokens().revoke(tokenId, clock.instant())) {
            throw VireoException.notFound("token", tokenId.toString());
        }
    }

    /** Deletes a token the caller manages; it stops working at once, everywhere. */
    public void deleteToken(RequestContext context, UUID tokenId) {
        manageableToken(context, tokenId);
        if (!store.tokens().delete(tokenId)) {
            throw VireoException.notFound("token", tokenId.toString());
        }
    }

    /** Deletes tokens that expired more than {@code grace} ago; returns how many. */
    public int purgeExpiredTokens(Duration grace) {
        return store.tokens().deleteExpired(clock.instant().minus(grace));
    }

    private void manageableToken(RequestContext context, UUID tokenId) {
        Principal caller = context.principal();
        ApiToken token =
                store.tokens().find(tokenId).orElseThrow(() -> VireoException.notFound("token", tokenId.toString()));
        User owner = store.users()
                .find(token.userId())
                .orElseThrow(() -> VireoException.notFound("token", tokenId.toString()));
        boolean own = owner.id().equals(caller.userId());
        boolean managed = caller.role().includes(Role.PROJECT_ADMIN) && visible(context, owner.projectId());
        if (!own && !managed) {
            throw VireoException.notFound("token", tokenId.toString());
        }
        if (!own) {
            requireGrantable(caller, owner.role());
        }
    }

    private IssuedToken issue(User user, String description, Duration lifetime) {
        String secret = secrets.next();
        Instant now = clock.instant();
        ApiToken token = store.tokens()
                .create(new ApiToken(
                        ids.next(),
                        user.id(),
                        TokenSecrets.sha256(secret),
                        description,
                        now,
                        now.plus(lifetime),
                        null));
        return new IssuedToken(token, user, secret);
    }

    private Project ownProject(RequestContext context) {
        return store.projects()
                .find(context.projectId())
                .orElseThrow(() ->
                        VireoException.notFound("project", context.projectId().toString()));
    }

    private static boolean visible(RequestContext context, UUID projectId) {
        return context.principal().admin() || projectId.equals(context.projectId());
    }

    private String requirePassword(@Nullable String password) {
        if (password == null) {
            throw VireoException.invalid("password", "a person needs a password");
        }
        if (password.length() < settings.minPasswordLength()
                || password.length() > PasswordHasher.MAX_PASSWORD_LENGTH) {
            throw VireoException.invalid(
                    "password",
                    "must be " + settings.minPasswordLength() + "-" + PasswordHasher.MAX_PASSWORD_LENGTH
                            + " characters");
        }
        return password;
    }

    /** No one grants, or acts on someone with, a role they do not hold. */
    static void requireGrantable(Principal caller, Role role) {
        if (!caller.role().includes(role)) {
            throw forbidden("role " + role.wireName() + " is above your own ("
                    + caller.role().wireName() + ")");
        }
    }

    private static void requireAdmin(RequestContext context, String what) {
        if (!context.principal().admin()) {
            throw forbidden("only admins " + what);
        }
    }

    private static VireoException forbidden(String message) {
        return new VireoException(ErrorCode.PERMISSION_DENIED, message);
    }
}
