package io.vireo.agent.testing;

import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import java.util.UUID;

/** Builds desired VMs for tests. */
public final class Vms {
    public static final Resources SMALL = new Resources(2, 2048, 20);
    private static final UUID IMAGE = UUID.fromString("00000000-0000-4000-8000-0000000000aa");

    private Vms() {}

    /** A deterministic VM id: the same {@code n} gives the same id. */
    public static UUID id(int n) {
        return new UUID(0x4000L, 0x8000_0000_0000_0000L | n);
    }

    public static DesiredVm desired(UUID vmId, DesiredState state, long generation, long epoch, long rebootCount) {
        return new DesiredVm(
                vmId,
                "vm-" + vmId.getLeastSignificantBits(),
                generation,
                epoch,
                state,
                rebootCount,
                SMALL,
                IMAGE,
                "cirros",
                ImageFormat.QCOW2);
    }

    public static DesiredVm running(UUID vmId) {
        return desired(vmId, DesiredState.RUNNING, 1, 1, 0);
    }
}
