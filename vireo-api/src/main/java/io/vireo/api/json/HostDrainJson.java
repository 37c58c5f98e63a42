package io.vireo.api.json;

import io.vireo.controller.HostDrains;
import io.vireo.model.HostDrain;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

@Doc("A host's drain and how far it is: the server live-migrates the host's running VMs away, a few at a time.")
public record HostDrainJson(
        @Doc("True while the drain stands; it ends by itself when no VM is left on the host.")
        boolean draining,

        @Doc("When the drain was asked for; null when the host is not draining.") @Nullable
        Instant requestedAt,

        @Doc("The request's correlation id, carried by every migration and event of the drain"
                + " (vireo events --correlation-id).")
        @Nullable
        String correlationId,

        @Doc("VMs still on the host, moving or not.") int vmsOnHost,
        @Doc("VMs migrating away from the host now.") int migrating,

        @Doc("VMs that did not move at their last attempt, by name, with the reason (no host has room, the VM is"
                + " stopped…); they are tried again every second.")
        Map<String, String> waiting) {
    public static HostDrainJson of(HostDrains.Progress progress) {
        HostDrain drain = progress.drain();
        return new HostDrainJson(
                drain != null,
                drain == null ? null : drain.requestedAt(),
                drain == null ? null : drain.correlationId(),
                progress.vmsOnHost(),
                progress.migrating(),
                progress.waiting());
    }
}
