package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.support.JsonStateFiles;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one {@link VmOperation}: the driver call, the bookkeeping file, and a fresh look at the VM. Runs on an
 * operation thread, never on the loop; never throws, every failure becomes part of the {@link OperationResult}.
 *
 * <p>Thread-safe as long as no two operations on the same VM run at once, which the reconciler guarantees.
 */
final class OperationRunner {
    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);

    private final HypervisorDriver driver;
    private final JsonStateFiles<VmBookkeeping> bookkeepingFiles;
    private final Duration stopGracePeriod;

    OperationRunner(HypervisorDriver driver, JsonStateFiles<VmBookkeeping> bookkeepingFiles, Duration stopGracePeriod) {
        this.driver = requireNonNull(driver, "driver is null");
        this.bookkeepingFiles = requireNonNull(bookkeepingFiles, "bookkeepingFiles is null");
        this.stopGracePeriod = requireNonNull(stopGracePeriod, "stopGracePeriod is null");
    }

    OperationResult run(VmOperation operation) {
        UUID vmId = operation.vmId();
        VmBookkeeping persisted = operation.before();
        String failure = null;
        try {
            VmBookkeeping after = operation.after();
            if (operation.action() == VmAction.CREATE && after != null) {
                // Claim the VM before it exists, so that a crash between create and the write cannot leave an
                // unmanaged VM behind that a later full desired set would not clean up.
                persisted = persist(vmId, persisted, after);
            }
            perform(operation);
            persisted = persist(vmId, persisted, after);
        } catch (RuntimeException e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("VM {}: {} failed: {}", vmId, operation.action(), failure);
        }
        if (operation.action() == VmAction.RECORD || operation.action() == VmAction.FORGET) {
            return new OperationResult(vmId, operation.action(), persisted, failure, false, null);
        }
        try {
            Optional<DriverVm> observed = driver.find(vmId);
            return new OperationResult(vmId, operation.action(), persisted, failure, true, observed.orElse(null));
        } catch (RuntimeException e) {
            log.warn("VM {}: cannot read its state after {}: {}", vmId, operation.action(), e.toString());
            return new OperationResult(vmId, operation.action(), persisted, failure, false, null);
        }
    }

    private void perform(VmOperation operation) {
        UUID vmId = operation.vmId();
        switch (operation.action()) {
            case CREATE -> driver.create(requireNonNull(operation.desired(), "desired is null"));
            case START -> driver.start(vmId);
            case STOP -> driver.stop(vmId, stopGracePeriod);
            case REBOOT -> driver.reboot(vmId);
            case PAUSE -> driver.pause(vmId);
            case RESUME -> driver.resume(vmId);
            case DELETE -> driver.delete(vmId);
            case POLL, RECORD, FORGET, NONE -> {}
        }
    }

    private @Nullable VmBookkeeping persist(UUID vmId, @Nullable VmBookkeeping current, @Nullable VmBookkeeping after) {
        if (after == null) {
            if (current != null) {
                bookkeepingFiles.delete(vmId);
            }
            return null;
        }
        if (!after.equals(current)) {
            bookkeepingFiles.write(vmId, after);
        }
        return after;
    }
}
