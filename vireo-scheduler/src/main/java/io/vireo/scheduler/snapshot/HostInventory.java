package io.vireo.scheduler.snapshot;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.model.HostState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything the scheduler knows of one host, in object form: the input from which a {@link ClusterSnapshot} is built
 * and what {@link ClusterSnapshot#inventory(int)} gives back.
 *
 * <p>Invariants: at most {@link #MAX_RESOURCE_CLASSES} resource classes, {@link #MAX_TRAITS} traits and
 * {@link #MAX_AGGREGATES} aggregates, all names valid {@link LabelNames}; {@code recentFailures >= 0}; a missing
 * resource class means the host has none of it. {@code availabilityZone} is null when the host is in no zone.
 */
public record HostInventory(
        UUID id,
        String name,
        HostState state,
        long resourceGeneration,
        Map<ResourceClass, ResourceInventory> resources,
        Set<String> traits,
        @Nullable String availabilityZone,
        Set<String> aggregates,
        int recentFailures) {
    public static final int MAX_RESOURCE_CLASSES = 32;
    public static final int MAX_TRAITS = 256;
    public static final int MAX_AGGREGATES = 64;

    public HostInventory {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        if (resources.size() > MAX_RESOURCE_CLASSES) {
            throw VireoException.invalid("resources", "at most " + MAX_RESOURCE_CLASSES + " resource classes");
        }
        resources = Map.copyOf(resources);
        traits = Set.copyOf(traits);
        LabelNames.requireAll("traits", traits, MAX_TRAITS);
        if (availabilityZone != null) {
            LabelNames.require("availabilityZone", availabilityZone);
        }
        aggregates = Set.copyOf(aggregates);
        LabelNames.requireAll("aggregates", aggregates, MAX_AGGREGATES);
        if (recentFailures < 0) {
            throw VireoException.invalid("recentFailures", "must not be negative, got " + recentFailures);
        }
    }

    public static Builder builder(UUID id, String name) {
        return new Builder(id, name);
    }

    /** The host's inventory of {@code resourceClass}, or nothing of it. */
    public ResourceInventory resource(ResourceClass resourceClass) {
        ResourceInventory inventory = resources.get(resourceClass);
        return inventory == null ? ResourceInventory.of(0) : inventory;
    }

    public Optional<String> zone() {
        return Optional.ofNullable(availabilityZone);
    }

    /** Builds a {@link HostInventory}; starts UP, generation 0, no resources, traits, zone or aggregates. */
    public static final class Builder {
        private final UUID id;
        private final String name;
        private HostState state = HostState.UP;
        private long resourceGeneration;
        private final Map<ResourceClass, ResourceInventory> resources = new LinkedHashMap<>();
        private final Set<String> traits = new LinkedHashSet<>();
        private @Nullable String availabilityZone;
        private final Set<String> aggregates = new LinkedHashSet<>();
        private int recentFailures;

        private Builder(UUID id, String name) {
            this.id = requireNonNull(id, "id is null");
            this.name = requireNonNull(name, "name is null");
        }

        public Builder state(HostState value) {
            this.state = requireNonNull(value, "state is null");
            return this;
        }

        public Builder resourceGeneration(long value) {
            this.resourceGeneration = value;
            return this;
        }

        public Builder resource(ResourceClass resourceClass, ResourceInventory inventory) {
            resources.put(
                    requireNonNull(resourceClass, "resourceClass is null"),
                    requireNonNull(inventory, "inventory is null"));
            return this;
        }

        /** {@code total} of {@code resourceClass}, not overcommitted, with {@code used} of it claimed. */
        public Builder resource(ResourceClass resourceClass, long total, long used) {
            return resource(resourceClass, new ResourceInventory(total, 0, 1.0, used));
        }

        public Builder trait(String trait) {
            traits.add(requireNonNull(trait, "trait is null"));
            return this;
        }

        public Builder availabilityZone(@Nullable String value) {
            this.availabilityZone = value;
            return this;
        }

        public Builder aggregate(String aggregate) {
            aggregates.add(requireNonNull(aggregate, "aggregate is null"));
            return this;
        }

        public Builder recentFailures(int value) {
            this.recentFailures = value;
            return this;
        }

        public HostInventory build() {
            return new HostInventory(
                    id,
                    name,
                    state,
                    resourceGeneration,
                    resources,
                    traits,
                    availabilityZone,
                    aggregates,
                    recentFailures);
        }
    }
}
