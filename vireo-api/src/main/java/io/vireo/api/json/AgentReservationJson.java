package io.vireo.api.json;

import io.vireo.model.HostReservation;
import org.jspecify.annotations.Nullable;

@Doc("What the host's agent reports keeping for the host itself (vireo agent --reserved-vcpus, --reserved-memory-mib,"
        + " --reserved-disk-gib); null where it reports nothing. It replaces the server's default reservation of its"
        + " class unless an operator set the host's policy.")
public record AgentReservationJson(
        @Doc("Virtual CPUs.") @Nullable Integer vcpus,
        @Doc("Memory in MiB.") @Nullable Long memoryMib,
        @Doc("Disk in GiB.") @Nullable Long diskGib) {
    public static AgentReservationJson of(HostReservation reservation) {
        return new AgentReservationJson(reservation.vcpus(), reservation.memoryMib(), reservation.diskGib());
    }
}
