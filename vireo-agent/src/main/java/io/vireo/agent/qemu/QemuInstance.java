package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ObservedPower;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running QEMU process of a VM and the driver's QMP connection to it. Made when the driver starts the process or
 * adopts one it finds running; dropped when the process exits. Its QMP events are logged.
 *
 * <p>Thread-safe: the QMP client is; the power last seen is volatile; the other fields are final.
 */
final class QemuInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QemuInstance.class);

    private final UUID vmId;
    private final long pid;
    private final QmpClient qmp;
    private final Instant startedAt;
    private final Duration commandTimeout;
    /** The power of the latest answer to {@code query-status}; CREATING before the first. */
    private volatile ObservedPower lastPower = ObservedPower.CREATING;

    QemuInstance(UUID vmId, long pid, QmpClient qmp, Instant startedAt, Duration commandTimeout) {
        this.vmId = requireNonNull(vmId, "vmId is null");
        this.pid = pid;
        this.qmp = requireNonNull(qmp, "qmp is null");
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout is null");
        qmp.addListener(this::logEvent);
    }

    UUID vmId() {
        return vmId;
    }

    long pid() {
        return pid;
    }

    Instant startedAt() {
        return startedAt;
    }

    QmpClient qmp() {
        return qmp;
    }

    /** True while the QMP connection is open and the process runs. */
    boolean isAlive() {
        return qmp.isOpen() && QemuProcesses.isRunning(pid, vmId);
    }

    /** Runs a QMP command; a failure becomes a {@link HypervisorException} naming the VM and the command. */
    JsonNode execute(String command, Map<String, ?> arguments) {
        try {
            return qmp.execute(command, arguments, commandTimeout);
        } catch (QmpException e) {
            throw new HypervisorException("VM " + vmId + ": QEMU " + e.getMessage(), e);
        }
    }

    JsonNode execute(String command) {
        return execute(command, Map.of());
    }

    /**
     * Asks QEMU for the run state. A QEMU that answers nothing within the timeout while its process runs is busy, not
     * dead (a main loop blocked on a slow disk or a dying migration peer answers again later): it shows as it was last
     * seen, with the reason, so that nothing restarts a guest that still runs. A closed connection or any other
     * failure shows as FAILED.
     */
    DriverVm observe() {
        try {
            String status =
                    qmp.execute("query-status", commandTimeout).path("status").asText("");
            ObservedPower power = power(status);
            lastPower = power;
            return new DriverVm(vmId, power, startedAt, message(status));
        } catch (QmpException e) {
            if (e.kind() == QmpException.Kind.TIMEOUT && QemuProcesses.isRunning(pid, vmId)) {
                log.warn("VM {}: QEMU process {} does not answer QMP; taken as busy: {}", vmId, pid, e.getMessage());
                return new DriverVm(vmId, lastPower, startedAt, "QEMU process " + pid + " is busy: " + e.getMessage());
            }
            return new DriverVm(
                    vmId,
                    ObservedPower.FAILED,
                    startedAt,
                    "QEMU process " + pid + " does not answer QMP: " + e.getMessage());
        }
    }

    boolean isPaused() {
        return power(execute("query-status").path("status").asText("")) == ObservedPower.PAUSED;
    }

    /** Waits at most {@code timeout} for the process to exit; true if it has. */
    boolean awaitExit(Duration timeout) {
        return QemuProcesses.awaitExit(pid, vmId, qmp.closed(), timeout);
    }

    /** Closes the QMP connection only; the process keeps running. */
    @Override
    public void close() {
        qmp.close();
    }

    /** The power state shown for a QEMU run state ({@code query-status}'s {@code status}). */
    static ObservedPower power(String status) {
        return switch (status) {
            case "running" -> ObservedPower.RUNNING;
            case "paused",
                    "suspended",
                    "io-error",
                    "debug",
                    "watchdog",
                    "postmigrate",
                    "finish-migrate",
                    "save-vm",
                    "restore-vm",
                    "colo" -> ObservedPower.PAUSED;
            case "prelaunch", "inmigrate" -> ObservedPower.CREATING;
            case "shutdown" -> ObservedPower.STOPPED;
            default -> ObservedPower.FAILED;
        };
    }

    static String message(String status) {
        return switch (status) {
            case "running", "paused" -> "";
            case "io-error" -> "paused after a disk I/O error";
            case "shutdown" -> "the guest is powering off";
            case "guest-panicked" -> "the guest kernel panicked";
            case "internal-error" -> "QEMU hit an internal error";
            default -> "QEMU status: " + status;
        };
    }

    private void logEvent(QmpEvent event) {
        switch (event.name()) {
            case "SHUTDOWN" ->
                log.info(
                        "VM {}: shutdown ({})",
                        vmId,
                        event.data().path("reason").asText("unknown reason"));
            case "RESET" ->
                log.info("VM {}: reset ({})", vmId, event.data().path("reason").asText("unknown reason"));
            case "BLOCK_IO_ERROR" -> log.warn("VM {}: disk I/O error: {}", vmId, event.data());
            case "GUEST_PANICKED" -> log.warn("VM {}: guest kernel panicked: {}", vmId, event.data());
            default -> log.debug("VM {}: QMP event {} {}", vmId, event.name(), event.data());
        }
    }
}
