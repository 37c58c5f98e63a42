package io.vireo.api.json;

import io.vireo.model.Host;
import io.vireo.model.Volume;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A data volume: a blank virtual disk of the project, attached to at most one VM at the VM's creation. Its data"
        + " lives on one host; a volume kept after its VM pins the next VM it is attached to to that host.")
public record VolumeJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the volume.") UUID project,
        long sizeGib,

        @Doc("in-use: a VM has it; available: it can be attached to a new VM (if it has a host, that VM runs there).")
        String status,

        @Doc("The VM it is attached to; null unless in use.") @Nullable
        UUID vmId,

        @Doc("While in use: whether it is deleted with the VM.")
        boolean deleteOnTermination,

        @Doc("The host holding its data: its VM's host while in use, the host it was kept on once its VM was deleted;"
                + " null while it never held data.")
        @Nullable
        UUID hostId,

        Instant createdAt,

        @Doc("The name of that host; null when hostId is.") @Nullable
        String host) {
    public static VolumeJson of(Volume volume, @Nullable Host host) {
        return new VolumeJson(
                volume.id(),
                volume.name(),
                volume.projectId(),
                volume.sizeGib(),
                volume.attached() ? "in-use" : "available",
                volume.vmId(),
                volume.deleteOnTermination(),
                host == null ? null : host.id(),
                volume.createdAt(),
                host == null ? null : host.name());
    }
}
