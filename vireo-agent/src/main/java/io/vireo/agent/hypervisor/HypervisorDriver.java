package io.vireo.agent.hypervisor;

import io.vireo.model.DesiredVm;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A hypervisor as the agent's reconciler drives it. Every method is idempotent (creating a VM that exists, stopping a
 * stopped VM or deleting an absent one succeeds and changes nothing) and may block: the reconciler calls it from its
 * own bounded pool, never from the transport thread. VMs outlive the agent process: after a restart {@link #list()}
 * returns the VMs that kept running, which the agent adopts instead of recreating them.
 *
 * <p>Failures are thrown as {@link HypervisorException}; the reconciler reports them as a FAILED VM with the message.
 */
public interface HypervisorDriver extends AutoCloseable {
    /** Short name: {@code fake} or {@code qemu}. */
    String name();

    /** The host's capacity and capabilities, reported at registration. */
    HostInventory inventory();

    /** Every VM this driver knows on the host, whatever its power state. */
    List<DriverVm> list();

    /**
     * One VM as {@link #list()} would show it, or empty if the driver does not know it. The reconciler calls this after
     * every operation; drivers that can look up a single VM cheaply should override the default, which scans
     * {@link #list()}.
     */
    default Optional<DriverVm> find(UUID vmId) {
        return list().stream().filter(vm -> vm.vmId().equals(vmId)).findFirst();
    }

    /** Defines the VM (disks, configuration) without starting it. */
    void create(DesiredVm vm);

    void start(UUID vmId);

    /** Asks the guest to power off (ACPI); after {@code gracePeriod} stops it hard. */
    void stop(UUID vmId, Duration gracePeriod);

    void reboot(UUID vmId);

    void pause(UUID vmId);

    void resume(UUID vmId);

    /** Stops the VM if it runs and removes everything the driver made for it. */
    void delete(UUID vmId);

    /**
     * Reads at most {@code maxBytes} of the VM's serial console log from {@code offset} (negative: the last
     * {@code |offset|} bytes; past the end: nothing). Throws {@link HypervisorException} if the driver does not know
     * the VM. Never blocks for long: the agent calls it while a caller waits.
     */
    ConsoleOutput readConsole(UUID vmId, long offset, int maxBytes);

    /**
     * One resource-use sample of each VM whose guest process exists (running or paused), with cumulative counters.
     * A driver that cannot measure a value leaves it null ("not available"); it may leave the CPU share null, which
     * the agent then computes from consecutive samples. Called once per heartbeat; must not block for long. The
     * default measures nothing.
     */
    default List<VmStats> metrics() {
        return List.of();
    }

    /** Releases the driver's own resources. Leaves the VMs running. */
    @Override
    void close();
}
