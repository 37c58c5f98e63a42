package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.AgentPidFile;
import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.qemu.QemuFencing;
import io.vireo.agent.reconcile.VmReconciler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fence guard does to its host past the deadline (ADR 22), in this order: writes the fence marker (an agent
 * started later starts no guest until its host has registered again), ends the agent with SIGKILL (an operation it has
 * in flight cannot start a guest after the sweep; found through {@link AgentPidFile}, checked against the process's
 * start instant), then sends SIGKILL to every QEMU of the state directory ({@link QemuFencing}: only processes whose
 * command line carries their VM's id) and stops the fake driver's guests. {@link #sweep} repeats the last step; the
 * guard runs it at every look while it stays fenced, so a guest that was starting at that moment does not survive.
 * Thread-safe (stateless but for its collaborators).
 */
final class HostFencer implements GuardLoop.Fence {
    private static final Logger log = LoggerFactory.getLogger(HostFencer.class);

    private final Path stateDir;
    private final Clock wallClock;

    /** @param wallClock the time written into the marker, for operators */
    HostFencer(Path stateDir, Clock wallClock) {
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.wallClock = requireNonNull(wallClock, "wallClock is null");
    }

    /** The whole fence: marker, agent, instances. */
    @Override
    public void fence() {
        VmReconciler.fence(stateDir, wallClock.instant());
        log.warn("fence: wrote {}", stateDir.resolve(VmReconciler.FENCED_MARKER));
        AgentPidFile.running(stateDir)
                .ifPresentOrElse(
                        agent -> {
                            boolean sent = agent.destroyForcibly();
                            log.warn("fence: agent process {} sent SIGKILL: {}", agent.pid(), sent);
                        },
                        () -> log.warn("fence: no agent process running for {}", stateDir));
        sweep();
    }

    /** Ends every instance still running under the state directory; returns how many QEMUs were sent SIGKILL. */
    @Override
    public int sweep() {
        List<QemuFencing.Killed> killed = QemuFencing.killAll(stateDir);
        for (QemuFencing.Killed qemu : killed) {
            log.warn("fence: QEMU {} of VM {} sent SIGKILL", qemu.pid(), qemu.vmId());
        }
        FakeDriver.killAll(stateDir);
        return killed.size();
    }
}
