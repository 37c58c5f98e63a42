package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.model.DesiredVm;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A host's real fake driver, telling {@link LiveInstances} about every VM an operation touched. */
final class WatchedDriver implements HypervisorDriver {
    private final String host;
    private final HypervisorDriver driver;
    private final LiveInstances instances;

    WatchedDriver(String host, HypervisorDriver driver, LiveInstances instances) {
        this.host = requireNonNull(host, "host is null");
        this.driver = requireNonNull(driver, "driver is null");
        this.instances = requireNonNull(instances, "instances is null");
    }

    private void watch(UUID vmId) {
        Optional<DriverVm> vm = driver.find(vmId);
        if (vm.isPresent()) {
            instances.update(host, vmId, vm.get());
        } else {
            instances.absent(host, vmId);
        }
    }

    /** Tells the index about every VM the driver has (after the agent adopted what outlived it, say). */
    void watchAll() {
        for (DriverVm vm : driver.list()) {
            instances.update(host, vm.vmId(), vm);
        }
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public HostInventory inventory() {
        return driver.inventory();
    }

    @Override
    public List<DriverVm> list() {
        return driver.list();
    }

    @Override
    public Optional<DriverVm> find(UUID vmId) {
        return driver.find(vmId);
    }

    @Override
    public void create(DesiredVm vm) {
        try {
            driver.create(vm);
        } finally {
            watch(vm.vmId());
        }
    }

    @Override
    public void start(UUID vmId) {
        try {
            driver.start(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public void stop(UUID vmId, Duration gracePeriod) {
        try {
            driver.stop(vmId, gracePeriod);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public void reboot(UUID vmId) {
        try {
            driver.reboot(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public void pause(UUID vmId) {
        try {
            driver.pause(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public void resume(UUID vmId) {
        try {
            driver.resume(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public void delete(UUID vmId) {
        try {
            driver.delete(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public ConsoleOutput readConsole(UUID vmId, long offset, int maxBytes) {
        return driver.readConsole(vmId, offset, maxBytes);
    }

    @Override
    public List<VmStats> metrics() {
        return driver.metrics();
    }

    @Override
    public void close() {
        driver.close();
    }
}
