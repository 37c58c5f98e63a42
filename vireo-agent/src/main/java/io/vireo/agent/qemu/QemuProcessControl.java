package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a VM's QEMU and ends it: QMP connection with the balloon's statistics switched on, ACPI power-down with a
 * grace period, {@code quit}, SIGKILL. Used by {@link QemuDriver} under the VM's lock. Thread-safe (stateless apart
 * from its settings).
 */
final class QemuProcessControl {
    /** How often the guest's balloon driver reports its memory statistics to QEMU, in seconds. */
    static final int BALLOON_STATISTICS_INTERVAL_SECONDS = 2;

    private static final Logger log = LoggerFactory.getLogger(QemuProcessControl.class);

    private final QemuSettings settings;

    QemuProcessControl(QemuSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Connects to the QMP socket of VM {@code vmId}'s QEMU {@code pid}, started at {@code startedAt}. */
    QemuInstance connect(UUID vmId, long pid, Path qmpSocket, Instant startedAt) {
        try {
            QmpClient qmp = QmpClient.connect(qmpSocket, vmId.toString(), settings.qmpConnectTimeout());
            QemuInstance instance = new QemuInstance(vmId, pid, qmp, startedAt, settings.qmpCommandTimeout());
            enableBalloonStatistics(vmId, instance);
            return instance;
        } catch (QmpException e) {
            throw new HypervisorException(
                    "VM " + vmId + ": QEMU process " + pid + " runs but its QMP socket does not answer: "
                            + e.getMessage(),
                    e);
        }
    }

    /** ACPI power button, then after the grace period {@code quit}, then SIGKILL. */
    void powerDown(UUID vmId, QemuInstance instance, Duration gracePeriod) {
        try {
            if (instance.isPaused()) {
                // A paused guest cannot see the power button: let it run so that it can shut down cleanly.
                instance.execute("cont");
            }
            instance.execute("system_powerdown");
        } catch (HypervisorException e) {
            log.info("VM {}: ACPI power-off request failed, stopping QEMU: {}", vmId, e.getMessage());
        }
        if (gracePeriod.isZero() || !instance.awaitExit(gracePeriod)) {
            log.info("VM {}: the guest did not power off within {}, stopping QEMU", vmId, gracePeriod);
            terminate(vmId, instance);
        } else {
            log.info("VM {}: the guest powered off", vmId);
        }
    }

    /** Ends the process: {@code quit} over QMP, else SIGKILL; throws if it survives both. */
    void terminate(UUID vmId, QemuInstance instance) {
        try {
            instance.qmp().execute("quit", settings.qmpCommandTimeout());
        } catch (QmpException e) {
            log.debug("VM {}: quit: {}", vmId, e.getMessage());
        }
        if (instance.awaitExit(settings.exitTimeout())) {
            return;
        }
        log.warn("VM {}: QEMU pid {} ignored quit for {}, killing it", vmId, instance.pid(), settings.exitTimeout());
        QemuProcesses.kill(instance.pid(), vmId);
        if (!instance.awaitExit(settings.exitTimeout())) {
            throw new HypervisorException("VM " + vmId + ": QEMU process " + instance.pid() + " survived SIGKILL");
        }
    }

    /** Kills a VM's QEMU that the driver cannot talk to (its QMP socket does not answer). */
    void killUnconnected(UUID vmId, long pid) {
        log.warn("VM {}: killing unconnected QEMU pid {}", vmId, pid);
        QemuProcesses.kill(pid, vmId);
        if (!QemuProcesses.awaitExit(pid, vmId, CompletableFuture.completedFuture(null), settings.exitTimeout())) {
            throw new HypervisorException("VM " + vmId + ": QEMU process " + pid + " survived SIGKILL");
        }
    }

    /** Asks the guest's balloon driver for memory statistics; a VM without them still runs, it only lacks them. */
    private static void enableBalloonStatistics(UUID vmId, QemuInstance instance) {
        try {
            instance.execute(
                    "qom-set",
                    Map.of(
                            "path",
                            QemuMetrics.BALLOON_PATH,
                            "property",
                            "guest-stats-polling-interval",
                            "value",
                            BALLOON_STATISTICS_INTERVAL_SECONDS));
        } catch (HypervisorException e) {
            log.info("VM {}: no balloon statistics: {}", vmId, e.getMessage());
        }
    }
}
