package io.vireo.api.json;

import io.vireo.model.Flavor;
import java.time.Instant;
import java.util.UUID;

@Doc("A named VM size.")
public record FlavorJson(UUID id, String name, int vcpus, long memoryMib, long diskGib, Instant createdAt) {
    public static FlavorJson of(Flavor flavor) {
        return new FlavorJson(
                flavor.id(),
                flavor.name(),
                flavor.resources().vcpus(),
                flavor.resources().memoryMib(),
                flavor.resources().diskGib(),
                flavor.createdAt());
    }
}
