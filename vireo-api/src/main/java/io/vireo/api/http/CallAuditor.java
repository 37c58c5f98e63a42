package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.AuditLog;
import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import io.vireo.model.AuditRecord;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit record of every call that may change something (every method but GET), once, when the dispatcher
 * has its outcome: the answer it is about to send, or the failure it throws (refusals before authentication too).
 *
 * <p>What a record holds is chosen here, never copied from the request: the operation id as the action; the caller
 * (or {@code anonymous}) as the actor; the object's type from the route's path, its id or name from the path
 * parameter or from the {@code id} and {@code name} of the answer; the status and error code; the TCP peer as the
 * source (Vireo has no trusted proxy setting, so {@code X-Forwarded-For} is ignored). The detail of a failure is the
 * server's own message only for refusals (401, 403, 429), whose messages name no input; for anything else it is at
 * most the name of the field at fault, because an error message may quote what the caller sent (a malformed body, a
 * misplaced token).
 *
 * <p>Refusals of unknown callers (no or a bad token, a failed login) and of callers over their rate limit cost nothing
 * to send, so they are recorded up to a rate per source address ({@link RouteDispatcher#AUDITED_REFUSALS}); beyond
 * it they are only counted, with a warning in the server log, so that a flood of them cannot fill the audit log.
 * Thread-safe.
 */
final class CallAuditor {
    /** The collection at the start of each route's path, and the type of the objects it holds. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("vms", "vm"),
            Map.entry("hosts", "host"),
            Map.entry("flavors", "flavor"),
            Map.entry("images", "image"),
            Map.entry("volumes", "volume"),
            Map.entry("server-groups", "server-group"),
            Map.entry("projects", "project"),
            Map.entry("users", "user"),
            Map.entry("tokens", "token"),
            Map.entry("networks", "network"),
            Map.entry("subnets", "subnet"),
            Map.entry("ports", "port"));

    private static final String V1 = "/api/v1";
    /** A warning is logged for the first refusal not recorded, then for every this many more. */
    private static final long UNRECORDED_WARNING_EVERY = 1000;

    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\[\\]-]{0,63}");

    private static final Logger log = LoggerFactory.getLogger(CallAuditor.class);

    private final AuditLog audit;
    private final JsonCodec json;
    private final RateLimiter refusals;
    private final AtomicLong unrecorded = new AtomicLong();

    /** @param refusals how many free refusals (anonymous, or over the rate limit) are recorded per source address */
    CallAuditor(AuditLog audit, JsonCodec json, RateLimiter refusals) {
        this.audit = requireNonNull(audit, "audit is null");
        this.json = requireNonNull(json, "json is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
    }

    /** Whether calls of the endpoint are recorded: those that may change something. */
    static boolean audited(Endpoint endpoint) {
        return endpoint.method() != HttpMethod.GET;
    }

    /**
     * The type of the objects a route acts on, from its path: {@code vm} for {@code /api/v1/vms/{nameOrId}/start},
     * {@code join-token} for {@code /api/v1/hosts/join-tokens}, {@code user} for a login ({@code /api/v1/auth/tokens}).
     */
    static Optional<String> targetType(String path) {
        if (!path.startsWith(V1 + "/")) {
            return Optional.empty();
        }
        String[] segments = path.substring(V1.length() + 1).split("/");
        if (segments[0].equals("auth")) {
            return Optional.of("user");
        }
        if (segments[0].equals("hosts") && segments.length > 1 && segments[1].equals("join-tokens")) {
            return Optional.of("join-token");
        }
        return Optional.ofNullable(TYPES.get(segments[0]));
    }

    void succeeded(Endpoint endpoint, Context ctx, String correlationId, AuditNotes notes, ApiResponse response) {
        JsonNode body = response.body() == null || response.body() instanceof ApiResponse.BinaryBody
                ? null
                : json.mapper().valueToTree(response.body());
        audit.record(entry(endpoint, ctx, correlationId, notes, AuditRecord.Outcome.OK, body)
                .http(response.status(), null)
                .detail(
                        body != null && body.path("gangId").isTextual()
                                ? "gang " + body.path("gangId").asText() + " of "
                                        + body.path("items").size() + " VMs"
                                : ""));
    }

    void failed(Endpoint endpoint, Context ctx, String correlationId, AuditNotes notes, RuntimeException failure) {
        ErrorCode code = code(failure);
        int status = failure instanceof HttpResponseException http ? http.getStatus() : code.httpStatus();
        boolean free = code == ErrorCode.TOO_MANY_REQUESTS || (notes.caller() == null && notes.actor() == null);
        String source = ctx.req().getRemoteAddr();
        if (free && refusals.take("audit-refusals:" + source).isPresent()) {
            long count = unrecorded.incrementAndGet();
            if (count % UNRECORDED_WARNING_EVERY == 1) {
                log.warn(
                        "refused calls from {} beyond {} a second are not in the audit log ({} so far in all)",
                        source,
                        RouteDispatcher.AUDITED_REFUSALS.perSecond(),
                        count);
            }
            return;
        }
        audit.record(entry(endpoint, ctx, correlationId, notes, AuditRecord.Outcome.ofStatus(status), null)
                .http(status, code.name())
                .detail(detail(code, failure)));
    }

    private AuditRecord.Builder entry(
            Endpoint endpoint,
            Context ctx,
            String correlationId,
            AuditNotes notes,
            AuditRecord.Outcome outcome,
            @Nullable JsonNode body) {
        RequestContext caller = notes.caller();
        Principal actor = notes.actor() != null ? notes.actor() : caller == null ? null : caller.principal();
        UUID project = notes.actor() != null ? notes.actor().projectId() : caller == null ? null : caller.projectId();
        return AuditRecord.builder(actor(actor, notes), endpoint.operation().operationId(), outcome)
                .project(project)
                .target(target(endpoint, ctx, notes, body))
                .correlationId(correlationId)
                .source(ctx.req().getRemoteAddr());
    }

    private static AuditRecord.Actor actor(@Nullable Principal principal, AuditNotes notes) {
        if (principal != null) {
            return new AuditRecord.Actor(principal.kind(), principal.userId(), principal.name());
        }
        return notes.isAgent() ? AuditRecord.Actor.host(null, "agent") : AuditRecord.Actor.ANONYMOUS;
    }

    /** The object acted on: as a handler noted it, else from the path parameter, completed from the answer. */
    private static AuditRecord.Target target(
            Endpoint endpoint, Context ctx, AuditNotes notes, @Nullable JsonNode body) {
        Optional<String> type = targetType(endpoint.path());
        if (type.isEmpty()) {
            return AuditRecord.Target.NONE;
        }
        if (notes.targetNoted()) {
            return AuditRecord.Target.of(type.get(), notes.targetId(), notes.targetName());
        }
        UUID id = null;
        String name = null;
        Optional<Parameter> named = endpoint.operation().parameters().stream()
                .filter(parameter -> parameter.location() == Parameter.Location.PATH)
                .findFirst();
        if (named.isPresent()) {
            String value = ctx.pathParam(named.get().name());
            id = uuid(value);
            name = id == null && Names.isValid(value) ? value : null;
        }
        if (body != null) {
            id = id != null ? id : uuid(body.path("id").asText(""));
            String answered = body.path("name").asText("");
            name = name == null && Names.isValid(answered) ? answered : name;
        }
        return AuditRecord.Target.of(type.get(), id, name);
    }

    private static @Nullable UUID uuid(String text) {
        if (text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ErrorCode code(RuntimeException failure) {
        if (failure instanceof VireoException vireo) {
            return vireo.code();
        }
        if (failure instanceof HttpResponseException http) {
            return ErrorCodes.forStatus(http.getStatus());
        }
        return ErrorCode.INTERNAL;
    }

    /** Why a call failed, in words that cannot hold what the caller sent. */
    private static String detail(ErrorCode code, RuntimeException failure) {
        if (!(failure instanceof VireoException vireo)) {
            return "";
        }
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED, TOO_MANY_REQUESTS -> String.valueOf(vireo.getMessage());
            default ->
                vireo.details().get("field") instanceof String field
                                && FIELD.matcher(field).matches()
                        ? "field " + field
                        : "";
        };
    }
}
