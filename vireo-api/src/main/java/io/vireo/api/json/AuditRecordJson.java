package io.vireo.api.json;

import io.vireo.model.AuditRecord;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("One entry of the audit log: who did what to which object, with what outcome, when and from where. It never"
        + " holds a request body, a password or a token.")
public record AuditRecordJson(
        @Doc("Orders the log, which is listed newest first.")
        long id,

        Instant createdAt,
        ActorKindJson actorKind,

        @Doc("The user's or host's id; null for Vireo itself and for unknown callers.") @Nullable
        UUID actorId,

        @Doc("The user's or host's name; the part of Vireo (placement, migration, host-monitor, ...); or anonymous.")
        String actor,

        @Doc("The project acted in; null for the system's objects (hosts, flavors) and unknown callers.") @Nullable
        UUID project,

        @Doc("The API operation (createVm, deleteVm, login, ...) or what Vireo or an agent did (system.placeVm,"
                + " system.failMigration, agent.enroll, agent.register, ...).")
        String action,

        @Doc("The type of object acted on: vm, host, flavor, image, volume, server-group, project, user, token,"
                + " join-token.")
        @Nullable
        String targetType,

        @Nullable UUID targetId,

        @Doc("The object's name as the call gave it or the answer named it.") @Nullable
        String targetName,

        @Doc("ok; denied (401, 403, 429: who the caller is); failed (anything else).")
        AuditOutcomeJson outcome,

        @Doc("The API's answer; null for an action that was not an API call.") @Nullable
        Integer httpStatus,

        @Doc("The error code of a call that did not succeed.") @Nullable
        String errorCode,

        @Doc("The API call's correlation id (also of a migration's end, under the call that asked for it).") @Nullable
        String correlationId,

        @Doc("The caller's address: the TCP peer of the API or the agent's stream.") @Nullable
        String sourceAddress,

        @Doc("A short explanation: the host a VM was placed on, the reason of a refusal, the field at fault.")
        String detail) {
    public static AuditRecordJson of(AuditRecord record) {
        AuditRecord.Target target = record.target();
        return new AuditRecordJson(
                record.id(),
                record.createdAt(),
                ActorKindJson.of(record.actor().kind()),
                record.actor().id(),
                record.actor().name(),
                record.projectId(),
                record.action(),
                target.type(),
                target.id(),
                target.name(),
                AuditOutcomeJson.of(record.outcome()),
                record.httpStatus(),
                record.errorCode(),
                record.correlationId(),
                record.sourceAddress(),
                record.detail());
    }
}
