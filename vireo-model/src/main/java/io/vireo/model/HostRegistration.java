package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an agent says of its host when it connects.
 *
 * @param reservation what the agent keeps for the host itself ({@code vireo agent --reserved-memory-mib ...}); each
 *     reported value is zero or below {@code capacity}'s total of its class
 */
public record HostRegistration(
        String name, Resources capacity, List<String> capabilities, String driver, HostReservation reservation) {
    public HostRegistration {
        requireNonNull(name, "name is null");
        requireNonNull(capacity, "capacity is null");
        capabilities = List.copyOf(capabilities);
        requireNonNull(driver, "driver is null");
        requireNonNull(reservation, "reservation is null");
    }

    /** A registration reporting no reservation. */
    public HostRegistration(String name, Resources capacity, List<String> capabilities, String driver) {
        this(name, capacity, capabilities, driver, HostReservation.NONE);
    }
}
