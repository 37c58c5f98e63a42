package io.vireo.agent.wire;

import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.agent.migration.MigrationCommand;
import io.vireo.agent.migration.MigrationUpdate;
import io.vireo.proto.agent.v1.MigrationAbort;
import io.vireo.proto.agent.v1.MigrationEndpoint;
import io.vireo.proto.agent.v1.MigrationPhase;
import io.vireo.proto.agent.v1.MigrationPrepare;
import io.vireo.proto.agent.v1.MigrationReport;
import io.vireo.proto.agent.v1.MigrationStart;
import io.vireo.proto.agent.v1.ServerMessage;
import java.time.Instant;
import java.util.UUID;

/** Live-migration messages between the protocol and the agent's {@link io.vireo.agent.migration} types. */
public final class MigrationWire {
    private MigrationWire() {}

    /**
     * The command a migration message of the server carries.
     *
     * @throws IllegalArgumentException if it is not a migration message or is malformed (an id that is no UUID, an
     *     address that is no IP literal)
     */
    public static MigrationCommand command(ServerMessage message) {
        return switch (message.getBodyCase()) {
            case MIGRATION_PREPARE -> {
                MigrationPrepare prepare = message.getMigrationPrepare();
                yield new MigrationCommand.Prepare(
                        UUID.fromString(prepare.getMigrationId()),
                        ProtoMapping.fromProto(prepare.getVm()),
                        UUID.fromString(prepare.getSourceHostId()),
                        prepare.getCorrelationId());
            }
            case MIGRATION_START -> {
                MigrationStart start = message.getMigrationStart();
                MigrationEndpoint target = start.getTarget();
                yield new MigrationCommand.Start(
                        UUID.fromString(start.getMigrationId()),
                        UUID.fromString(start.getVmId()),
                        start.getSourceEpoch(),
                        new io.vireo.agent.hypervisor.MigrationEndpoint(
                                target.getHost(), target.getMigrationPort(), target.getDiskPort()),
                        UUID.fromString(start.getDestinationHostId()),
                        start.getCorrelationId());
            }
            case MIGRATION_ABORT -> {
                MigrationAbort abort = message.getMigrationAbort();
                yield new MigrationCommand.Abort(
                        UUID.fromString(abort.getMigrationId()),
                        UUID.fromString(abort.getVmId()),
                        abort.getReason(),
                        abort.getCorrelationId());
            }
            default -> throw new IllegalArgumentException("not a migration message: " + message.getBodyCase());
        };
    }

    /** The report of an update, as the server reads it. */
    public static MigrationReport toProto(MigrationUpdate update) {
        MigrationReport.Builder report = MigrationReport.newBuilder()
                .setMigrationId(update.migrationId().toString())
                .setVmId(update.vmId().toString())
                .setPhase(
                        switch (update.phase()) {
                            case PREPARED -> MigrationPhase.MIGRATION_PHASE_PREPARED;
                            case SOURCE_COMPLETED -> MigrationPhase.MIGRATION_PHASE_SOURCE_COMPLETED;
                            case RESUMED -> MigrationPhase.MIGRATION_PHASE_RESUMED;
                            case FAILED -> MigrationPhase.MIGRATION_PHASE_FAILED;
                        })
                .setError(update.error());
        io.vireo.agent.hypervisor.MigrationEndpoint target = update.target();
        if (target != null) {
            report.setTarget(MigrationEndpoint.newBuilder()
                    .setHost(target.host())
                    .setMigrationPort(target.migrationPort())
                    .setDiskPort(target.diskPort()));
        }
        MigrationStats stats = update.stats();
        if (stats != null) {
            report.setTotalMillis(stats.total().toMillis())
                    .setDiskCopyMillis(stats.diskCopy().toMillis())
                    .setMemoryMillis(stats.memory().toMillis())
                    .setDowntimeMillis(stats.downtime().toMillis())
                    .setTransferredBytes(stats.transferredBytes());
        }
        Instant resumedAt = update.resumedAt();
        if (resumedAt != null) {
            report.setResumedAtMillis(resumedAt.toEpochMilli());
        }
        return report.build();
    }
}
