package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.wire.ProtoMapping;
import io.vireo.controller.MigrationProgress;
import io.vireo.controller.MigrationService;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.model.DesiredVm;
import io.vireo.model.Migration;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.MigrationAbort;
import io.vireo.proto.agent.v1.MigrationEndpoint;
import io.vireo.proto.agent.v1.MigrationPrepare;
import io.vireo.proto.agent.v1.MigrationReport;
import io.vireo.proto.agent.v1.MigrationStart;
import io.vireo.proto.agent.v1.ServerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live migration over the agent streams: implements the controller's {@link MigrationGateway} with the protocol's
 * {@code Migration*} messages, and hands agents' {@link MigrationReport}s and VM reports to the
 * {@link MigrationService}. A malformed report is logged and dropped; one the store cannot record is thrown to the
 * stream service, which has the agent reconnect and send it again. Thread-safe.
 */
public final class MigrationRelay implements MigrationGateway, AgentStreamService.AgentMessageListener {
    private static final Logger log = LoggerFactory.getLogger(MigrationRelay.class);

    private final AgentStreamService agents;
    private volatile @Nullable MigrationService service;

    public MigrationRelay(AgentStreamService agents) {
        this.agents = requireNonNull(agents, "agents is null");
    }

    /** Where reports go; until set they are dropped (and resent by the agents later). */
    public void deliverTo(MigrationService migrations) {
        this.service = requireNonNull(migrations, "migrations is null");
    }

    @Override
    public void sendPrepare(UUID hostId, UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId) {
        agents.sendTo(
                hostId,
                ServerMessage.newBuilder()
                        .setMigrationPrepare(MigrationPrepare.newBuilder()
                                .setMigrationId(migrationId.toString())
                                .setVm(ProtoMapping.toProto(vm))
                                .setSourceHostId(sourceHostId.toString())
                                .setCorrelationId(correlationId))
                        .build());
    }

    @Override
    public void sendStart(
            UUID hostId,
            UUID migrationId,
            UUID vmId,
            long sourceEpoch,
            Target target,
            UUID destinationHostId,
            String correlationId) {
        agents.sendTo(
                hostId,
                ServerMessage.newBuilder()
                        .setMigrationStart(MigrationStart.newBuilder()
                                .setMigrationId(migrationId.toString())
                                .setVmId(vmId.toString())
                                .setSourceEpoch(sourceEpoch)
                                .setDestinationHostId(destinationHostId.toString())
                                .setCorrelationId(correlationId)
                                .setTarget(MigrationEndpoint.newBuilder()
                                        .setHost(target.host())
                                        .setMigrationPort(target.migrationPort())
                                        .setDiskPort(target.diskPort())))
                        .build());
    }

    @Override
    public void sendAbort(UUID hostId, UUID migrationId, UUID vmId, String reason, String correlationId) {
        agents.sendTo(
                hostId,
                ServerMessage.newBuilder()
                        .setMigrationAbort(MigrationAbort.newBuilder()
                                .setMigrationId(migrationId.toString())
                                .setVmId(vmId.toString())
                                .setReason(reason)
                                .setCorrelationId(correlationId))
                        .build());
    }

    @Override
    public void onMessage(UUID hostId, AgentMessage message) {
        MigrationService migrations = service;
        if (migrations == null) {
            return;
        }
        try {
            if (message.hasMigrationReport()) {
                migrations.progress(hostId, fromProto(message.getMigrationReport()));
            } else if (message.hasVmReport()) {
                migrations.observed(hostId, ProtoMapping.fromProto(message.getVmReport()));
            }
        } catch (IllegalArgumentException e) {
            log.warn("host {}: dropping a malformed migration report: {}", hostId, e.getMessage());
        }
    }

    static MigrationProgress fromProto(MigrationReport report) {
        MigrationProgress.Phase phase = switch (report.getPhase()) {
            case MIGRATION_PHASE_PREPARED -> MigrationProgress.Phase.PREPARED;
            case MIGRATION_PHASE_SOURCE_COMPLETED -> MigrationProgress.Phase.SOURCE_COMPLETED;
            case MIGRATION_PHASE_RESUMED -> MigrationProgress.Phase.RESUMED;
            case MIGRATION_PHASE_FAILED -> MigrationProgress.Phase.FAILED;
            case MIGRATION_PHASE_UNSPECIFIED, UNRECOGNIZED ->
                throw new IllegalArgumentException("unknown migration phase " + report.getPhaseValue());
        };
        Target target = null;
        if (report.hasTarget()) {
            MigrationEndpoint endpoint = report.getTarget();
            target = new Target(endpoint.getHost(), endpoint.getMigrationPort(), endpoint.getDiskPort());
        }
        Migration.Figures figures = phase != MigrationProgress.Phase.SOURCE_COMPLETED
                ? null
                : new Migration.Figures(
                        Duration.ofMillis(report.getTotalMillis()),
                        Duration.ofMillis(report.getDiskCopyMillis()),
                        Duration.ofMillis(report.getMemoryMillis()),
                        Duration.ofMillis(report.getDowntimeMillis()),
                        report.getTransferredBytes());
        Instant resumedAt = report.getResumedAtMillis() > 0 ? Instant.ofEpochMilli(report.getResumedAtMillis()) : null;
        return new MigrationProgress(
                UUID.fromString(report.getMigrationId()),
                UUID.fromString(report.getVmId()),
                phase,
                target,
                report.getError(),
                figures,
                resumedAt);
    }
}
