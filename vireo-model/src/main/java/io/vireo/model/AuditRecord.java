package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the audit log: who ({@link #actor}) did what ({@link #action}) to which object ({@link #target}), in
 * which project, with what outcome, when, from where, under which correlation id. Append-only: a record is never
 * changed once stored.
 *
 * <p>It never holds a secret. The fields are identifiers and fixed texts chosen by the code that records them, never a
 * request body, a password or a token; text fields are cut to their bound and control characters are replaced, so a
 * record prints safely on one line whatever a caller sent. As a last line of defence, anything in the detail that
 * looks like a Vireo credential (an API token {@code vireo_...}, a join token {@code vireo-join-v1....}) is replaced
 * by {@value #REDACTED}.
 *
 * @param id orders the log (assigned by the store; 0 before the record is stored)
 * @param projectId the project acted in, or null for the system's objects (hosts, flavors) and unknown callers
 * @param action a stable name: the API operation ({@code createVm}) or what Vireo or an agent did
 *     ({@code system.placeVm}, {@code agent.enroll})
 * @param httpStatus the API's answer, or null for an action that was not an API call
 * @param errorCode the error code of a failed or denied call ({@code PERMISSION_DENIED}), or null
 * @param correlationId the API call's correlation id (also of the automatic actions it caused, where known), or null
 * @param sourceAddress the caller's network address (the TCP peer), or null for Vireo itself
 * @param detail a short explanation fit for people, or empty
 */
public record AuditRecord(
        long id,
        Instant createdAt,
        Actor actor,
        @Nullable UUID projectId,
        String action,
        Target target,
        Outcome outcome,
        @Nullable Integer httpStatus,
        @Nullable String errorCode,
        @Nullable String correlationId,
        @Nullable String sourceAddress,
        String detail) {
    /** The longest action name. */
    public static final int MAX_ACTION_LENGTH = 100;
    /** The longest actor or target name and target type kept; longer ones are cut. */
    public static final int MAX_NAME_LENGTH = 255;
    /** The longest correlation id, error code or source address kept; longer ones are cut. */
    public static final int MAX_TOKEN_LENGTH = 100;
    /** The longest detail kept; a longer one is cut. */
    public static final int MAX_DETAIL_LENGTH = 1000;

    private static final Pattern ACTION = Pattern.compile("[a-z][A-Za-z0-9.-]{0," + (MAX_ACTION_LENGTH - 1) + "}");
    /** What stands in the detail where a credential was. */
    public static final String REDACTED = "[redacted]";

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern CREDENTIAL =
            Pattern.compile("vireo_[A-Za-z0-9_-]{16,}|" + Pattern.quote(JoinToken.PREFIX) + "\\.[0-9A-Za-z._-]+");

    /** Who acted: a user, a service account, the admin token, a host, Vireo itself, or an unknown caller. */
    public record Actor(ActorKind kind, @Nullable UUID id, String name) {
        public static final Actor ANONYMOUS = new Actor(ActorKind.ANONYMOUS, null, "anonymous");

        public Actor {
            requireNonNull(kind, "kind is null");
            name = clean(requireNonNull(name, "name is null"), MAX_NAME_LENGTH);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("an actor has a name");
            }
        }

        /** Vireo itself, as one of its parts ({@code placement}, {@code migration}, {@code host-monitor}). */
        public static Actor system(String component) {
            return new Actor(ActorKind.SYSTEM, null, component);
        }

        /** A host's agent. */
        public static Actor host(@Nullable UUID hostId, String hostName) {
            return new Actor(ActorKind.HOST, hostId, hostName);
        }
    }

    /** What was acted on, as far as it is known: its type ({@code vm}, {@code host}, ...), id and name. */
    public record Target(
            @Nullable String type,
            @Nullable UUID id,
            @Nullable String name) {
        /** No target (or none known). */
        public static final Target NONE = new Target(null, null, null);

        public Target {
            type = cleanOrNull(type, MAX_NAME_LENGTH);
            name = cleanOrNull(name, MAX_NAME_LENGTH);
            if (type == null && (id != null || name != null)) {
                throw new IllegalArgumentException("a target with an id or a name has a type");
            }
        }

        public static Target of(String type, @Nullable UUID id, @Nullable String name) {
            return new Target(requireNonNull(type, "type is null"), id, name);
        }
    }

    /** How the action ended, in three classes an operator filters by. */
    public enum Outcome {
        /** Done (a 2xx answer, or an automatic action that succeeded). */
        OK,
        /** Refused for who the caller is: no or a bad credential (401), a role not allowed (403), too many (429). */
        DENIED,
        /** Not done for another reason: bad input, a conflict, nothing found, an error. */
        FAILED;

        /** The class of an HTTP status. */
        public static Outcome ofStatus(int httpStatus) {
            if (httpStatus >= 200 && httpStatus < 300) {
                return OK;
            }
            return httpStatus == 401 || httpStatus == 403 || httpStatus == 429 ? DENIED : FAILED;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuditRecord {
        if (id < 0) {
            throw new IllegalArgumentException("id is negative");
        }
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        if (!ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("not an action name: " + clean(action, MAX_ACTION_LENGTH));
        }
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
        if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
            throw new IllegalArgumentException("not an HTTP status: " + httpStatus);
        }
        errorCode = cleanOrNull(errorCode, MAX_TOKEN_LENGTH);
        correlationId = cleanOrNull(correlationId, MAX_TOKEN_LENGTH);
        sourceAddress = cleanOrNull(sourceAddress, MAX_TOKEN_LENGTH);
        detail = clean(
                CREDENTIAL.matcher(requireNonNull(detail, "detail is null")).replaceAll(REDACTED), MAX_DETAIL_LENGTH);
    }

    /** The record as stored, with its id. */
    public AuditRecord withId(long storedId) {
        return new AuditRecord(
                storedId,
                createdAt,
                actor,
                projectId,
                action,
                target,
                outcome,
                httpStatus,
                errorCode,
                correlationId,
                sourceAddress,
                detail);
    }

    public static Builder builder(Actor actor, String action, Outcome outcome) {
        return new Builder(actor, action, outcome);
    }

    /** {@code text} cut to {@code max} characters, with control characters (line breaks too) replaced by '?'. */
    static String clean(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) : text;
        return CONTROL.matcher(cut).replaceAll("?");
    }

    private static @Nullable String cleanOrNull(@Nullable String text, int max) {
        return text == null ? null : clean(text, max);
    }

    /** Builds a record not yet stored; {@link #build} takes its time. Not thread-safe. */
    public static final class Builder {
        private final Actor actor;
        private final String action;
        private final Outcome outcome;
        private @Nullable UUID projectId;
        private Target target = Target.NONE;
        private @Nullable Integer httpStatus;
        private @Nullable String errorCode;
        private @Nullable String correlationId;
        private @Nullable String sourceAddress;
        private String detail = "";

        private Builder(Actor actor, String action, Outcome outcome) {
            this.actor = requireNonNull(actor, "actor is null");
            this.action = requireNonNull(action, "action is null");
            this.outcome = requireNonNull(outcome, "outcome is null");
        }

        public Builder project(@Nullable UUID id) {
            this.projectId = id;
            return this;
        }

        public Builder target(Target acted) {
            this.target = requireNonNull(acted, "acted is null");
            return this;
        }

        public Builder target(String type, @Nullable UUID id, @Nullable String name) {
            return target(Target.of(type, id, name));
        }

        /** The API's answer: its status and, for a failure, its error code. */
        public Builder http(int status, @Nullable String code) {
            this.httpStatus = status;
            this.errorCode = code;
            return this;
        }

        /** The error code of an action that was not an API call. */
        public Builder errorCode(@Nullable String code) {
            this.errorCode = code;
            return this;
        }

        public Builder correlationId(@Nullable String id) {
            this.correlationId = id;
            return this;
        }

        public Builder source(@Nullable String address) {
            this.sourceAddress = address;
            return this;
        }

        public Builder detail(String text) {
            this.detail = requireNonNull(text, "text is null");
            return this;
        }

        public AuditRecord build(Instant at) {
            return new AuditRecord(
                    0,
                    at,
                    actor,
                    projectId,
                    action,
                    target,
                    outcome,
                    httpStatus,
                    errorCode,
                    correlationId,
                    sourceAddress,
                    detail);
        }
    }
}
