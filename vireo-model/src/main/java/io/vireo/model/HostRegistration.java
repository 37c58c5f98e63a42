package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What an agent says of its host when it connects. */
public record HostRegistration(String name, Resources capacity, List<String> capabilities, String driver) {
    public HostRegistration {
        requireNonNull(name, "name is null");
        requireNonNull(capacity, "capacity is null");
        capabilities = List.copyOf(capabilities);
        requireNonNull(driver, "driver is null");
    }
}
