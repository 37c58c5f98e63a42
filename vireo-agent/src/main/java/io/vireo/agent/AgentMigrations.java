package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.model.DesiredVm;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.MigrationAbort;
import io.vireo.proto.agent.v1.MigrationEndpoint;
import io.vireo.proto.agent.v1.MigrationPhase;
import io.vireo.proto.agent.v1.MigrationPrepare;
import io.vireo.proto.agent.v1.MigrationReport;
import io.vireo.proto.agent.v1.MigrationStart;
import io.vireo.proto.agent.v1.ServerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of live migration: runs the server's {@link MigrationPrepare}, {@link MigrationStart} and
 * {@link MigrationAbort} on the driver (if it is a {@link LiveMigration}), off the transport thread, and sends a
 * {@link MigrationReport} for every step to the current session. The last report of each of the
 * {@link #MAX_REMEMBERED} latest migrations is kept: a repeated request is answered with it instead of being run
 * twice, and {@link #resend()} sends them all again after a reconnection, since a report sent while no session was up
 * is lost.
 *
 * <p>At most {@link #MAX_CONCURRENT} migrations run at once; one beyond that fails at once. Thread-safe.
 */
final class AgentMigrations implements AutoCloseable {
    static final int MAX_CONCURRENT = 4;
    static final int MAX_REMEMBERED = 64;

    private static final Logger log = LoggerFactory.getLogger(AgentMigrations.class);

    private final HypervisorDriver driver;
    private final Consumer<AgentMessage> sink;
    private final Semaphore permits = new Semaphore(MAX_CONCURRENT);
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("vireo-migration-", 0).factory());
    private final Object lock = new Object();

    // Guarded by lock.
    private final Map<String, MigrationReport> reports = new LinkedHashMap<>();
    private final Map<String, IncomingMigration> incoming = new LinkedHashMap<>();

    AgentMigrations(HypervisorDriver driver, Consumer<AgentMessage> sink) {
        this.driver = requireNonNull(driver, "driver is null");
        this.sink = requireNonNull(sink, "sink is null");
    }

    /** Handles a migration message of the server; never blocks. */
    void handle(ServerMessage message) {
        switch (message.getBodyCase()) {
            case MIGRATION_PREPARE -> {
                MigrationPrepare prepare = message.getMigrationPrepare();
                submit(prepare.getMigrationId(), prepare.getVm().getVmId(), () -> prepare(prepare));
            }
            case MIGRATION_START -> {
                MigrationStart start = message.getMigrationStart();
                submit(start.getMigrationId(), start.getVmId(), () -> start(start));
            }
            case MIGRATION_ABORT -> {
                MigrationAbort abort = message.getMigrationAbort();
                executeUnlimited(() -> abort(abort));
            }
            default -> throw new IllegalArgumentException("not a migration message: " + message.getBodyCase());
        }
    }

    /** Sends the last report of every remembered migration again. */
    void resend() {
        List<MigrationReport> all;
        synchronized (lock) {
            all = new ArrayList<>(reports.values());
        }
        all.forEach(this::send);
    }

    private void submit(String migrationId, String vmId, Runnable step) {
        MigrationReport known;
        synchronized (lock) {
            known = reports.get(migrationId);
        }
        if (known != null) {
            send(known); // a repeated request: answer with what happened
            return;
        }
        if (!permits.tryAcquire()) {
            report(failed(migrationId, vmId, "too many migrations in flight (at most " + MAX_CONCURRENT + ")"));
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    step.run();
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            report(failed(migrationId, vmId, "the agent is shutting down"));
        }
    }

    private void executeUnlimited(Runnable step) {
        try {
            executor.execute(step);
        } catch (RejectedExecutionException e) {
            log.debug("Agent shutting down; dropping a migration abort");
        }
    }

    private void prepare(MigrationPrepare prepare) {
        String migrationId = prepare.getMigrationId();
        String vmId = prepare.getVm().getVmId();
        try {
            LiveMigration migration = liveMigration();
            DesiredVm vm = ProtoMapping.fromProto(prepare.getVm());
            IncomingMigration ready = migration.prepareIncoming(vm);
            synchronized (lock) {
                incoming.put(migrationId, ready);
            }
            report(MigrationReport.newBuilder()
                    .setMigrationId(migrationId)
                    .setVmId(vmId)
                    .setPhase(MigrationPhase.MIGRATION_PHASE_PREPARED)
                    .setTarget(toProto(ready.endpoint()))
                    .build());
            ready.running().whenComplete((at, failure) -> arrived(migrationId, vm.vmId(), at, failure));
        } catch (RuntimeException e) {
            log.warn("Migration {}: preparing VM {} failed: {}", migrationId, vmId, e.getMessage());
            report(failed(migrationId, vmId, "destination: " + e.getMessage()));
        }
    }

    private void arrived(String migrationId, UUID vmId, @Nullable Instant at, @Nullable Throwable failure) {
        if (failure == null && at != null) {
            report(MigrationReport.newBuilder()
                    .setMigrationId(migrationId)
                    .setVmId(vmId.toString())
                    .setPhase(MigrationPhase.MIGRATION_PHASE_RESUMED)
                    .setResumedAtMillis(at.toEpochMilli())
                    .build());
            return;
        }
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause()
                : failure;
        String why = cause == null ? "unknown" : String.valueOf(cause.getMessage());
        if (cause instanceof java.util.concurrent.TimeoutException) {
            why = "nothing arrived in time";
        }
        log.warn("Migration {}: VM {} did not arrive: {}; removing it here", migrationId, vmId, why);
        executeUnlimited(() -> removeQuietly(vmId));
        report(failed(migrationId, vmId.toString(), "destination: " + why));
    }

    private void start(MigrationStart start) {
        String migrationId = start.getMigrationId();
        String vmId = start.getVmId();
        try {
            LiveMigration migration = liveMigration();
            MigrationEndpoint target = start.getTarget();
            MigrationStats stats = migration.migrateOut(
                    UUID.fromString(vmId),
                    new io.vireo.agent.hypervisor.MigrationEndpoint(
                            target.getHost(), target.getMigrationPort(), target.getDiskPort()));
            report(MigrationReport.newBuilder()
                    .setMigrationId(migrationId)
                    .setVmId(vmId)
                    .setPhase(MigrationPhase.MIGRATION_PHASE_SOURCE_COMPLETED)
                    .setTotalMillis(stats.total().toMillis())
                    .setDiskCopyMillis(stats.diskCopy().toMillis())
                    .setMemoryMillis(stats.memory().toMillis())
                    .setDowntimeMillis(stats.downtime().toMillis())
                    .setTransferredBytes(stats.transferredBytes())
                    .build());
        } catch (RuntimeException e) {
            log.warn("Migration {}: sending VM {} failed: {}", migrationId, vmId, e.getMessage());
            report(failed(migrationId, vmId, "source: " + e.getMessage()));
        }
    }

    private void abort(MigrationAbort abort) {
        IncomingMigration ready;
        synchronized (lock) {
            ready = incoming.get(abort.getMigrationId());
        }
        if (ready == null) {
            return; // not the destination of this migration, or it never prepared
        }
        if (ready.running().isDone() && !ready.running().isCompletedExceptionally()) {
            log.warn("Migration {}: aborted, but VM {} already runs here", abort.getMigrationId(), ready.vmId());
            resend();
            return;
        }
        log.info(
                "Migration {}: aborted ({}); removing VM {} here",
                abort.getMigrationId(),
                abort.getReason(),
                ready.vmId());
        ready.running().cancel(false);
        removeQuietly(ready.vmId());
    }

    private void removeQuietly(UUID vmId) {
        try {
            liveMigration().discardIncoming(vmId);
        } catch (RuntimeException e) {
            log.warn("VM {}: removing the half-migrated VM failed: {}", vmId, e.getMessage());
        }
    }

    private LiveMigration liveMigration() {
        if (driver instanceof LiveMigration migration) {
            return migration;
        }
        throw new UnsupportedOperationException("the " + driver.name() + " driver cannot live-migrate");
    }

    private void report(MigrationReport report) {
        synchronized (lock) {
            reports.put(report.getMigrationId(), report);
            while (reports.size() > MAX_REMEMBERED) {
                String eldest = reports.keySet().iterator().next();
                reports.remove(eldest);
                incoming.remove(eldest);
            }
        }
        send(report);
    }

    private void send(MigrationReport report) {
        try {
            sink.accept(AgentMessage.newBuilder().setMigrationReport(report).build());
        } catch (RuntimeException e) {
            log.debug("Migration {}: report not sent: {}", report.getMigrationId(), e.toString());
        }
    }

    private static MigrationReport failed(String migrationId, String vmId, String error) {
        return MigrationReport.newBuilder()
                .setMigrationId(migrationId)
                .setVmId(vmId)
                .setPhase(MigrationPhase.MIGRATION_PHASE_FAILED)
                .setError(error)
                .build();
    }

    private static MigrationEndpoint toProto(io.vireo.agent.hypervisor.MigrationEndpoint endpoint) {
        return MigrationEndpoint.newBuilder()
                .setHost(endpoint.host())
                .setMigrationPort(endpoint.migrationPort())
                .setDiskPort(endpoint.diskPort())
                .build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
