package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a VM may be placed, as asked at creation: its server group, its availability zone, the traits its host must
 * have ({@code requiredTraits}) and must not have ({@code forbiddenTraits}), and the gang it was created in (VMs of one
 * gang are placed all or none). Names are checked by the controller before a VM is made.
 *
 * <p>Invariants: no trait both required and forbidden.
 */
public record PlacementConstraints(
        @Nullable UUID serverGroupId,
        @Nullable String availabilityZone,
        Set<String> requiredTraits,
        Set<String> forbiddenTraits,
        @Nullable UUID gangId) {
    public static final PlacementConstraints NONE = new PlacementConstraints(null, null, Set.of(), Set.of(), null);

    public PlacementConstraints {
        requiredTraits = Set.copyOf(requireNonNull(requiredTraits, "requiredTraits is null"));
        forbiddenTraits = Set.copyOf(requireNonNull(forbiddenTraits, "forbiddenTraits is null"));
        Set<String> both = new HashSet<>(requiredTraits);
        both.retainAll(forbiddenTraits);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("traits both required and forbidden: " + both);
        }
    }

    public PlacementConstraints withGang(@Nullable UUID gang) {
        return new PlacementConstraints(serverGroupId, availabilityZone, requiredTraits, forbiddenTraits, gang);
    }
}
