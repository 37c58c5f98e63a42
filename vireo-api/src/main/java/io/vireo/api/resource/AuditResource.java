package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.CorrelationIds;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.JsonNames;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.AuditOutcomeJson;
import io.vireo.api.json.AuditRecordJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.AuditLog;
import io.vireo.controller.RequestContext;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.port.AuditFilter;
import io.vireo.model.AuditRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /audit}: the audit log, newest first (ADR 16). The cursor is the id of the last record of a page. Admins read
 * every record (or one project's, with {@code project} or by acting in it); project admins read their project's;
 * members and readers are refused by the access policy. Thread-safe.
 */
public final class AuditResource {
    static final String PATH = ApiPaths.V1 + "/audit";

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern ACTION = Pattern.compile("[a-z][A-Za-z0-9.-]{0,99}");
    private static final String SINCE = "since";
    private static final String UNTIL = "until";
    private static final String ACTOR = "actor";
    private static final String PROJECT = "project";
    private static final String ACTION_PARAMETER = "action";
    private static final String TARGET = "target";
    private static final String OUTCOME = "outcome";
    private static final String CORRELATION_ID = "correlationId";

    private final AuditLog audit;
    private final IdentityService identity;

    public AuditResource(AuditLog audit, IdentityService identity) {
        this.audit = requireNonNull(audit, "audit is null");
        this.identity = requireNonNull(identity, "identity is null");
    }

    public List<Route> routes() {
        return List.of(Route.of(
                HttpMethod.GET,
                PATH,
                Operation.builder(
                                "listAudit",
                                "List the audit log, newest first: every call that may change something (refused"
                                        + " ones too) and every action Vireo or an agent took by itself")
                        .parameter(Parameter.query(
                                SINCE, "Only records at or after this time (ISO-8601, e.g. 2026-11-02T10:00:00Z)."))
                        .parameter(Parameter.query(UNTIL, "Only records before this time (ISO-8601)."))
                        .parameter(Parameter.query(
                                ACTOR,
                                "Only records of this actor: a user's, host's or part of Vireo's name, or an id."))
                        .parameter(Parameter.query(
                                PROJECT,
                                "Only records of this project (a name). Admins only; project admins read their own"
                                        + " project's records anyway."))
                        .parameter(Parameter.query(
                                ACTION_PARAMETER, "Only records of this action, e.g. createVm or system.placeVm."))
                        .parameter(Parameter.query(TARGET, "Only records about this object: its id or its name."))
                        .parameter(Parameter.queryOneOf(
                                OUTCOME,
                                "Only records with this outcome.",
                                Arrays.stream(AuditOutcomeJson.values())
                                        .map(JsonNames::of)
                                        .toList()))
                        .parameter(Parameter.query(CORRELATION_ID, "Only records with this correlation id."))
                        .paged()
                        .responds(200, "A page of audit records", Payload.pageOf(AuditRecordJson.class))
                        .errors(ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
                        .build(),
                this::list));
    }

    private ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        int limit = request.limit();
        AuditFilter.Builder filter = AuditFilter.builder(limit)
                .since(instant(request, SINCE))
                .until(instant(request, UNTIL))
                .projectId(project(request, context))
                .action(request.query(ACTION_PARAMETER)
                        .map(action -> matching(ACTION_PARAMETER, action, ACTION, "an action name, e.g. createVm"))
                        .orElse(null))
                .outcome(request.query(OUTCOME).map(AuditResource::outcome).orElse(null))
                .correlationId(request.query(CORRELATION_ID)
                        .map(id -> {
                            if (!CorrelationIds.isSane(id)) {
                                throw VireoException.invalid(CORRELATION_ID, "must be a correlation id");
                            }
                            return id;
                        })
                        .orElse(null));
        request.query(ACTOR)
                .ifPresent(actor ->
                        nameOrId(ACTOR, actor).ifPresentOrElse(filter::actorId, () -> filter.actorName(actor)));
        request.query(TARGET)
                .ifPresent(target ->
                        nameOrId(TARGET, target).ifPresentOrElse(filter::targetId, () -> filter.targetName(target)));
        request.cursor().ifPresent(cursor -> filter.before(id(cursor)));
        List<AuditRecord> records = audit.list(context, filter.build());
        String next =
                records.size() == limit ? Long.toString(records.get(limit - 1).id()) : null;
        return ApiResponse.ok(
                new PageJson<>(records.stream().map(AuditRecordJson::of).toList(), next));
    }

    /**
     * The project asked for: the {@code project} parameter, else, for an admin acting in another project than their
     * own, that one; else none (an admin's records are all of them, a project admin's are narrowed by the log).
     */
    private @Nullable UUID project(ApiRequest request, RequestContext context) {
        Optional<String> named = request.query(PROJECT);
        if (named.isPresent()) {
            return identity.project(context, Names.require(PROJECT, named.get()))
                    .id();
        }
        boolean elsewhere = !context.projectId().equals(context.principal().projectId());
        return elsewhere ? context.projectId() : null;
    }

    /** An id, if the text is one; else the text must be a name. */
    private static Optional<UUID> nameOrId(String field, String text) {
        Optional<UUID> id = Lookups.uuid(text);
        if (id.isEmpty()) {
            Names.require(field, text);
        }
        return id;
    }

    private static @Nullable Instant instant(ApiRequest request, String field) {
        Optional<String> text = request.query(field);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text.get());
        } catch (DateTimeException e) {
            throw VireoException.invalid(field, "must be an ISO-8601 time, e.g. 2026-11-02T10:00:00Z");
        }
    }

    private static String matching(String field, String text, Pattern pattern, String what) {
        if (!pattern.matcher(text).matches()) {
            throw VireoException.invalid(field, "must be " + what);
        }
        return text;
    }

    private static AuditRecord.Outcome outcome(String text) {
        for (AuditOutcomeJson outcome : AuditOutcomeJson.values()) {
            if (JsonNames.of(outcome).equals(text)) {
                return outcome.toModel();
            }
        }
        throw VireoException.invalid(OUTCOME, "must be ok, denied or failed");
    }

    private static long id(String cursor) {
        if (!ID.matcher(cursor).matches()) {
            throw VireoException.invalid("cursor", "must be the id of an audit record");
        }
        return Long.parseLong(cursor);
    }
}
