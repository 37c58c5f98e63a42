package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.model.DesiredVm;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A host's real fake driver, telling {@link LiveInstances} about every VM an operation touched: a VM is live on the
 * host while the driver has a guest of it ({@link FakeDriver#hasGuest}). A migration's hand-over happens inside the
 * source's {@link #migrateOut}, so the source also tells the index about the destination, found by the port it sent
 * to.
 */
final class WatchedDriver implements HypervisorDriver, LiveMigration {
    private final String host;
    private final FakeDriver driver;
    private final LiveInstances instances;
    private final Function<String, @Nullable WatchedDriver> driversByHost;

    WatchedDriver(
            String host,
            FakeDriver driver,
            LiveInstances instances,
            Function<String, @Nullable WatchedDriver> driversByHost) {
        this.host = requireNonNull(host, "host is null");
        this.driver = requireNonNull(driver, "driver is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.driversByHost = requireNonNull(driversByHost, "driversByHost is null");
    }

    private void watch(UUID vmId) {
        instances.update(host, vmId, driver.hasGuest(vmId));
    }

    /** Ends every guest, as a fence guard does: see {@link FakeDriver#killAll()}. */
    void killAll() {
        driver.killAll();
        watchAll();
    }

    /** Tells the index about every VM the driver has (after the agent adopted what outlived it, say). */
    void watchAll() {
        for (DriverVm vm : driver.list()) {
            watch(vm.vmId());
        }
    }

    @Override
    public IncomingMigration prepareIncoming(DesiredVm vm, UUID sourceHostId) {
        IncomingMigration ready = driver.prepareIncoming(vm, sourceHostId);
        instances.listening(ready.endpoint().migrationPort(), host);
        return ready;
    }

    @Override
    public boolean discardIncoming(UUID vmId) {
        try {
            return driver.discardIncoming(vmId);
        } finally {
            watch(vmId);
        }
    }

    @Override
    public MigrationStats migrateOut(UUID vmId, MigrationEndpoint target, UUID destinationHostId) {
        try {
            return driver.migrateOut(vmId, target, destinationHostId);
        } finally {
            watch(vmId);
            String destination = instances.listener(target.migrationPort());
            WatchedDriver there = destination == null ? null : driversByHost.apply(destination);
            if (there != null) {
                there.watch(vmId);
            }
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
