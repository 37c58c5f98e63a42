package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.vireo.api.auth.AccessPolicy;
import io.vireo.api.auth.AgentCredential;
import io.vireo.api.auth.TokenAuthenticator;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.common.logging.Correlation;
import io.vireo.controller.AuditLog;
import io.vireo.controller.RequestContext;
import io.vireo.model.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a route for a request: assigns the correlation id, authenticates the caller (for routes the access policy does
 * not make public) and checks the policy allows the caller's role (else 403, before anything else is read), checks
 * the query and, for POSTs without a request body, that none was sent; then calls the handler and writes its response
 * as JSON. Failures are thrown to Javalin's exception handlers, which write them with {@link ErrorResponses}.
 *
 * <p>Every call that may change something (any method but GET) is recorded in the audit log here, once, whatever its
 * outcome, refusals included ({@link CallAuditor}); the record is written before the answer, and a record that cannot
 * be written does not change the answer. Thread-safe.
 */
public final class RouteDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RouteDispatcher.class);

    /** Tokens longer than this are rejected before they are looked at. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    /** The header with which an admin acts in another project (a name); anyone else may name only their own. */
    public static final String PROJECT_HEADER = "X-Vireo-Project";

    /**
     * How many refusals that cost the caller nothing (no or a bad token, a failed login, a call over the rate limit)
     * are written to the audit log per source address: a burst of 100, then 10 a second. The rest are counted in the
     * server log.
     */
    public static final RateLimiter.Limit AUDITED_REFUSALS = new RateLimiter.Limit(10, 100);

    private static final String BEARER = "bearer ";

    /** The id of the project a caller names, if the caller may see it; NOT_FOUND otherwise. */
    @FunctionalInterface
    public interface ProjectResolver {
        UUID projectId(RequestContext caller, String name);
    }

    private final TokenAuthenticator authenticator;
    private final AgentCredential agents;
    private final CorrelationIds correlationIds;
    private final JsonCodec json;
    private final int maxBodyBytes;
    private final RateLimiter limiter;
    private final AccessPolicy policy;
    private final ProjectResolver projects;
    private final CallAuditor auditor;

    /**
     * @param agents the credential of host agents, accepted by operations with agent access
     * @param limiter how many requests each authenticated credential may send
     * @param policy which roles may call which route; routes it does not name are refused
     * @param projects resolves the project named by {@value #PROJECT_HEADER}
     * @param audit where calls that may change something are recorded
     * @param auditedRefusals how many free refusals are recorded per source address ({@link #AUDITED_REFUSALS})
     */
    public RouteDispatcher(
            TokenAuthenticator authenticator,
            AgentCredential agents,
            CorrelationIds correlationIds,
            JsonCodec json,
            int maxBodyBytes,
            RateLimiter limiter,
            AccessPolicy policy,
            ProjectResolver projects,
            AuditLog audit,
            RateLimiter auditedRefusals) {
        this.policy = requireNonNull(policy, "policy is null");
        this.projects = requireNonNull(projects, "projects is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.correlationIds = requireNonNull(correlationIds, "correlationIds is null");
        this.json = requireNonNull(json, "json is null");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.auditor = new CallAuditor(audit, json, auditedRefusals);
    }

    /** Serves one request; its correlation id is in the log lines written meanwhile on this thread. */
    public void dispatch(Route route, Context ctx) {
        String correlationId = correlationIds.of(ctx);
        Correlation.run(correlationId, () -> dispatch(route, ctx, correlationId));
    }

    private void dispatch(Route route, Context ctx, String correlationId) {
        Endpoint endpoint = route.endpoint();
        AuditNotes notes = new AuditNotes();
        if (!CallAuditor.audited(endpoint)) {
            write(ctx, serve(route, ctx, correlationId, notes));
            return;
        }
        ApiResponse response;
        try {
            response = serve(route, ctx, correlationId, notes);
        } catch (RuntimeException failure) {
            auditor.failed(endpoint, ctx, correlationId, notes, failure);
            throw failure;
        }
        auditor.succeeded(endpoint, ctx, correlationId, notes, response);
        write(ctx, response);
    }

    /** Everything but writing the answer: authentication, the policy, the query, the handler. */
    private ApiResponse serve(Route route, Context ctx, String correlationId, AuditNotes notes) {
        Endpoint endpoint = route.endpoint();
        Operation operation = endpoint.operation();
        Optional<AccessPolicy.Rule> rule = policy.rule(endpoint.method().name(), endpoint.path());
        boolean agent = operation.access().agents() && isAgent(ctx);
        RequestContext context = null;
        if (agent) {
            notes.agent();
        } else if (!rule.map(AccessPolicy.Rule::isPublic).orElse(false)) {
            RequestContext caller = authenticate(ctx, correlationId, notes);
            context = actingProject(ctx, caller);
            notes.caller(context);
            authorize(endpoint, rule, context);
        }
        Map<String, String> query = QueryParameters.validate(operation, ctx.queryParamMap());
        ApiRequest request = new ApiRequest(ctx, context, operation, query, json, maxBodyBytes, agent, notes);
        if (endpoint.method() == HttpMethod.POST && operation.requestBody() == null) {
            request.requireNoBody();
        }
        return route.handler().handle(request);
    }

    private boolean isAgent(Context ctx) {
        return bearerToken(ctx.header("Authorization")).map(agents::matches).orElse(false);
    }

    /** The caller, noted for the audit record as soon as it is known (a rate-limited caller is still named). */
    private RequestContext authenticate(Context ctx, String correlationId, AuditNotes notes) {
        String token = bearerToken(ctx.header("Authorization"))
                .orElseThrow(() -> unauthenticated("a bearer token is required: send 'Authorization: Bearer <token>'"));
        RequestContext caller = authenticator
                .authenticate(token)
                .orElseThrow(() -> unauthenticated("the bearer token is not valid"))
                .withCorrelationId(correlationId);
        notes.caller(caller);
        limiter.take(token).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new VireoException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "too many requests with this token; retry in " + seconds + " s",
                    Map.of("retryAfterSeconds", seconds));
        });
        return caller;
    }

    /** The caller in the project {@value #PROJECT_HEADER} names, if it names one. */
    private RequestContext actingProject(Context ctx, RequestContext caller) {
        String name = ctx.header(PROJECT_HEADER);
        if (name == null) {
            return caller;
        }
        if (!Names.isValid(name)) {
            throw VireoException.invalid(PROJECT_HEADER, "must be a project name");
        }
        return caller.inProject(projects.projectId(caller, name));
    }

    /** Deny by default: a route the policy does not name is refused to everyone, as is a role it does not list. */
    private static void authorize(Endpoint endpoint, Optional<AccessPolicy.Rule> rule, RequestContext caller) {
        if (rule.isEmpty()) {
            log.error("route {} has no access rule: refused to everyone until the policy table names it", endpoint);
            throw new VireoException(ErrorCode.PERMISSION_DENIED, "this route is not open to anyone");
        }
        Role role = caller.principal().role();
        if (rule.get().allows(role)
                && !rule.get().allows(role, caller.principal().projectId())) {
            throw new VireoException(
                    ErrorCode.PERMISSION_DENIED,
                    "only users of the admin project may " + endpoint.method() + " " + endpoint.path());
        }
        if (!rule.get().allows(role)) {
            throw new VireoException(
                    ErrorCode.PERMISSION_DENIED,
                    "role " + role.wireName() + " may not " + endpoint.method() + " " + endpoint.path(),
                    Map.of("role", role.wireName()));
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), if well-formed. */
    static Optional<String> bearerToken(@Nullable String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization
                        .substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() || token.length() > MAX_TOKEN_LENGTH ? Optional.empty() : Optional.of(token);
    }

    private static VireoException unauthenticated(String message) {
        return new VireoException(ErrorCode.UNAUTHENTICATED, message);
    }

    private void write(Context ctx, ApiResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        Object body = response.body();
        if (body instanceof ApiResponse.BinaryBody binary) {
            writeBinary(ctx, binary);
        } else if (body instanceof ApiResponse.TextBody text) {
            ctx.contentType(text.contentType()).result(text.text());
        } else if (body != null) {
            ctx.contentType(MediaTypes.JSON).result(json.write(body));
        }
    }

    /** Streams the bytes with their length, never holding them whole in memory. */
    private static void writeBinary(Context ctx, ApiResponse.BinaryBody binary) {
        ctx.contentType(MediaTypes.OCTET_STREAM);
        ctx.res().setContentLengthLong(binary.lengthBytes());
        try (InputStream in = binary.stream()) {
            in.transferTo(ctx.res().getOutputStream());
        } catch (IOException e) {
            // The client went away or the file could not be read mid-way: the response is already committed.
            throw new UncheckedIOException("streaming the response failed", e);
        }
    }
}
