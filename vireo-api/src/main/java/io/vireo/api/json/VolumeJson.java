package io.vireo.api.json;

import io.vireo.model.Volume;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A data volume: a blank virtual disk of the project, attached to at most one VM at the VM's creation.")
public record VolumeJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the volume.") UUID project,
        long sizeGib,

        @Doc("available: can be attached; attached: a VM has it; kept: its VM was deleted and its data stays on"
                + " the host hostId (it cannot be attached again yet).")
        String status,

        @Doc("The VM it is attached to; null unless attached.") @Nullable
        UUID vmId,

        @Doc("While attached: whether it is deleted with the VM.")
        boolean deleteOnTermination,

        @Doc("The host whose disk holds the data of a kept volume; null otherwise.") @Nullable
        UUID hostId,

        Instant createdAt) {
    public static VolumeJson of(Volume volume) {
        return new VolumeJson(
                volume.id(),
                volume.name(),
                volume.projectId(),
                volume.sizeGib(),
                volume.attached() ? "attached" : volume.hostId() != null ? "kept" : "available",
                volume.vmId(),
                volume.deleteOnTermination(),
                volume.hostId(),
                volume.createdAt());
    }
}
