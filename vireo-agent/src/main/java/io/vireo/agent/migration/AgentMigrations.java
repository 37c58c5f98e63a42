package io.vireo.agent.migration;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.common.logging.Correlation;
import io.vireo.model.ObservedPower;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of live migration: runs the server's {@link MigrationCommand}s on the driver (if it is a
 * {@link LiveMigration}) through the injected executor, never on the caller's thread, and sends a
 * {@link MigrationUpdate} for every step to the sink. The last update of each of the {@link #MAX_REMEMBERED} latest
 * migrations is kept: a repeated command (a message delivered twice, a server that asks again after a restart) is
 * answered with it instead of being run twice, and {@link #resend()} sends them all again after a reconnection, since
 * an update sent while no session was up is lost.
 *
 * <p>At most {@link #MAX_CONCURRENT} migrations run at once; one beyond that fails at once. Thread-safe; owns no
 * thread.
 */
public final class AgentMigrations {
    public static final int MAX_CONCURRENT = 4;
    public static final int MAX_REMEMBERED = 64;

    private static final Logger log = LoggerFactory.getLogger(AgentMigrations.class);

    private final HypervisorDriver driver;
    private final Executor executor;
    private final Consumer<MigrationUpdate> sink;
    private final Moves moves;
    private final Semaphore permits = new Semaphore(MAX_CONCURRENT);
    private final Object lock = new Object();

    // Guarded by lock.
    private final Map<UUID, MigrationUpdate> updates = new LinkedHashMap<>();
    private final Map<UUID, IncomingMigration> incoming = new LinkedHashMap<>();
    /** Migrations with a step submitted and not yet reported: a repeated command meanwhile is not run again. */
    private final Set<UUID> running = new HashSet<>();

    /** Told of every VM that leaves or arrives, before the update that says so (the host's reconciler). */
    public interface Moves {
        /**
         * VM {@code vmId}, placed here at {@code epoch}, is about to be sent away: must be durable when this returns,
         * since the guest may run on the destination from then on and this host must never start it again.
         */
        void departed(UUID vmId, long epoch);

        /** Sending VM {@code vmId} failed: it stays here, and what {@link #departed} recorded is withdrawn. */
        void stayed(UUID vmId, long epoch);

        /** VM {@code vmId} has arrived and runs here since {@code startedAt}. */
        void arrived(UUID vmId, Instant startedAt);
    }

    /**
     * @param executor runs each step (a step may block on the driver for as long as the migration takes)
     * @param moves told of each VM sent away, with its epoch here (the reconciler, which then ignores stale desired
     *     entries of it), and of each VM that arrived, before the update that says so
     * @param sink where updates go; called from the executor's threads, must not block
     */
    public AgentMigrations(HypervisorDriver driver, Executor executor, Moves moves, Consumer<MigrationUpdate> sink) {
        this.driver = requireNonNull(driver, "driver is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.moves = requireNonNull(moves, "moves is null");
        this.sink = requireNonNull(sink, "sink is null");
    }

    /** Handles a command of the server; never blocks. */
    public void handle(MigrationCommand command) {
        String correlationId = command.correlationId().isEmpty() ? null : command.correlationId();
        switch (command) {
            case MigrationCommand.Prepare prepare ->
                submit(prepare, () -> Correlation.run(correlationId, () -> prepare(prepare)));
            case MigrationCommand.Start start ->
                submit(start, () -> Correlation.run(correlationId, () -> start(start)));
            case MigrationCommand.Abort abort ->
                executeUnlimited(() -> Correlation.run(correlationId, () -> abort(abort)));
        }
    }

    /** Sends the last update of every remembered migration again. */
    public void resend() {
        List<MigrationUpdate> all;
        synchronized (lock) {
            all = new ArrayList<>(updates.values());
        }
        all.forEach(this::send);
    }

    private void submit(MigrationCommand command, Runnable step) {
        MigrationUpdate known;
        synchronized (lock) {
            known = updates.get(command.migrationId());
            if (known == null && !running.add(command.migrationId())) {
                return; // a repeated command while the first one runs: its update will answer both
            }
        }
        if (known != null) {
            send(known); // a repeated command: answer with what happened
            return;
        }
        if (!permits.tryAcquire()) {
            report(MigrationUpdate.failed(
                    command.migrationId(),
                    command.vmId(),
                    "too many migrations in flight (at most " + MAX_CONCURRENT + ")"));
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
            report(MigrationUpdate.failed(command.migrationId(), command.vmId(), "the agent is shutting down"));
        }
    }

    private void executeUnlimited(Runnable step) {
        try {
            executor.execute(step);
        } catch (RejectedExecutionException e) {
            log.debug("Agent shutting down; dropping a migration step");
        }
    }

    private void prepare(MigrationCommand.Prepare prepare) {
        UUID migrationId = prepare.migrationId();
        UUID vmId = prepare.vmId();
        try {
            IncomingMigration ready = liveMigration().prepareIncoming(prepare.vm(), prepare.sourceHostId());
            synchronized (lock) {
                incoming.put(migrationId, ready);
            }
            report(MigrationUpdate.prepared(migrationId, vmId, ready.endpoint()));
            ready.running().whenComplete((at, failure) -> arrived(migrationId, vmId, at, failure));
        } catch (RuntimeException e) {
            log.warn("Migration {}: preparing VM {} failed: {}", migrationId, vmId, e.getMessage());
            report(MigrationUpdate.failed(migrationId, vmId, "destination: " + e.getMessage()));
        }
    }

    private void arrived(UUID migrationId, UUID vmId, @Nullable Instant at, @Nullable Throwable failure) {
        if (failure == null && at != null) {
            moves.arrived(vmId, at);
            report(MigrationUpdate.resumed(migrationId, vmId, at));
            return;
        }
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause()
                : failure;
        String why = cause == null ? "unknown" : String.valueOf(cause.getMessage());
        if (cause instanceof TimeoutException) {
            why = "nothing arrived in time";
        }
        log.warn("Migration {}: VM {} did not arrive: {}; removing it here", migrationId, vmId, why);
        String failed = why;
        executeUnlimited(() -> discardAndAnswer(migrationId, vmId, "destination: " + failed));
    }

    /**
     * Says where a migration to this host stands, and only once that is settled: a VM still waiting for it here is
     * removed first (after that it cannot arrive), then FAILED if the VM is not here; RESUMED if it arrived (it runs,
     * or it stopped or paused here since: its memory and disks are here either way); nothing if this host cannot tell
     * (the removal failed, or the VM is here in a state that is neither).
     */
    private void discardAndAnswer(UUID migrationId, UUID vmId, String failure) {
        DriverVm here;
        try {
            if (liveMigration().discardIncoming(vmId)) {
                report(MigrationUpdate.failed(migrationId, vmId, failure));
                return;
            }
            here = driver.find(vmId).orElse(null);
        } catch (RuntimeException e) {
            log.warn("Migration {}: cannot settle VM {} here: {}", migrationId, vmId, e.getMessage());
            return; // it may still be here, and may still arrive: the server asks again
        }
        if (here == null) {
            report(MigrationUpdate.failed(migrationId, vmId, failure));
        } else if (here.power() == ObservedPower.CREATING || here.power() == ObservedPower.ABSENT) {
            log.warn(
                    "Migration {}: VM {} is here {} ({}); not answering yet",
                    migrationId,
                    vmId,
                    here.power(),
                    here.message());
        } else {
            Instant at = here.startedAt() != null ? here.startedAt() : Instant.EPOCH;
            if (here.power() == ObservedPower.RUNNING) {
                moves.arrived(vmId, at);
            }
            report(MigrationUpdate.resumed(migrationId, vmId, at));
        }
    }

    private void start(MigrationCommand.Start start) {
        UUID migrationId = start.migrationId();
        UUID vmId = start.vmId();
        // recorded before the first byte is sent: the guest may run on the destination before migrateOut returns
        moves.departed(vmId, start.sourceEpoch());
        try {
            MigrationStats stats = liveMigration().migrateOut(vmId, start.target(), start.destinationHostId());
            report(MigrationUpdate.sent(migrationId, vmId, stats));
        } catch (RuntimeException e) {
            log.warn("Migration {}: sending VM {} failed: {}", migrationId, vmId, e.getMessage());
            moves.stayed(vmId, start.sourceEpoch());
            report(MigrationUpdate.failed(migrationId, vmId, "source: " + e.getMessage()));
        }
    }

    /**
     * The server ends the migration here, or asks how it stands (the source was told to send, and no outcome reached
     * the server in time): a VM still waiting is removed, and every abort is answered with what this host knows, so
     * the server learns whether the VM arrived here or can no longer arrive (ADR 27).
     */
    private void abort(MigrationCommand.Abort abort) {
        UUID migrationId = abort.migrationId();
        IncomingMigration ready;
        MigrationUpdate known;
        synchronized (lock) {
            ready = incoming.get(migrationId);
            known = updates.get(migrationId);
        }
        if (ready != null && !ready.running().isDone()) {
            log.info("Migration {}: aborted ({}); removing VM {} here", migrationId, abort.reason(), ready.vmId());
            ready.running().cancel(false); // its arrival callback removes it and answers
            return;
        }
        if (known != null && known.phase() != MigrationUpdate.Phase.PREPARED) {
            log.info("Migration {}: aborted ({}); answering with its outcome here", migrationId, abort.reason());
            send(known);
            return;
        }
        discardAndAnswer(migrationId, abort.vmId(), "destination: the VM is not here (" + abort.reason() + ")");
    }

    private LiveMigration liveMigration() {
        if (driver instanceof LiveMigration migration) {
            return migration;
        }
        throw new UnsupportedOperationException("the " + driver.name() + " driver cannot live-migrate");
    }

    private void report(MigrationUpdate update) {
        synchronized (lock) {
            running.remove(update.migrationId());
            updates.put(update.migrationId(), update);
            while (updates.size() > MAX_REMEMBERED) {
                UUID eldest = updates.keySet().iterator().next();
                updates.remove(eldest);
                incoming.remove(eldest);
            }
        }
        send(update);
    }

    private void send(MigrationUpdate update) {
        try {
            sink.accept(update);
        } catch (RuntimeException e) {
            log.debug("Migration {}: update not sent: {}", update.migrationId(), e.toString());
        }
    }
}
