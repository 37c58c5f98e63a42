package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A security decision worth keeping: who tried what on which object, the outcome and why, as an event of its target
 * ({@link EventLog#security}), so that {@code vireo events} shows it beside what happened to the host; the audit log
 * keeps its own record of the same decision ({@link AuditLog}). It never holds a secret: a join token is named by its
 * id, never by its text.
 *
 * @param actor who acted: {@code host:<id>} for a certificate's host, {@code join-token:<id>} for an enrolling agent,
 *     {@code anonymous} when nothing identified it
 * @param action what was tried, such as {@code agent.enroll} or {@code agent.register}
 * @param targetKind the kind of object acted on ({@code host}, {@code join-token})
 * @param outcome {@code accepted} or {@code refused}
 * @param source the peer's address, or null if unknown
 */
public record SecurityEvent(
        String actor,
        String action,
        String targetKind,
        UUID targetId,
        String targetName,
        String outcome,
        String reason,
        @Nullable String source) {
    public static final String ACCEPTED = "accepted";
    public static final String REFUSED = "refused";

    public SecurityEvent {
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        requireNonNull(targetKind, "targetKind is null");
        requireNonNull(targetId, "targetId is null");
        requireNonNull(targetName, "targetName is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(reason, "reason is null");
    }

    public static SecurityEvent refused(
            String actor,
            String action,
            String targetKind,
            UUID targetId,
            String targetName,
            String reason,
            @Nullable String source) {
        return new SecurityEvent(actor, action, targetKind, targetId, targetName, REFUSED, reason, source);
    }

    public boolean refused() {
        return outcome.equals(REFUSED);
    }

    /** The event type in the event log: the action and its outcome, e.g. {@code AgentRegisterRefused}. */
    public String eventType() {
        StringBuilder type = new StringBuilder();
        for (String part : (action + "." + outcome).split("[.-]")) {
            if (!part.isEmpty()) {
                type.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return type.toString();
    }

    /** The event log's message: the reason, then who and from where. */
    public String message() {
        return reason + " (actor " + actor + ", action " + action + ", outcome " + outcome
                + (source == null ? "" : ", from " + source) + ")";
    }
}
