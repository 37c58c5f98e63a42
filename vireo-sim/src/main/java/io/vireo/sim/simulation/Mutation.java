package io.vireo.sim.simulation;

import io.vireo.store.memory.InMemoryStore.PlantedBugs;
import java.util.Locale;

/**
 * Bugs planted at real seams, to prove the invariant checkers can fail: each must be caught within 200 seeds. Wired
 * only here; the product never plants them.
 */
enum Mutation {
    NONE(PlantedBugs.NONE),
    /** The store's claim skips its conditional write (generation and free room): I2 must see an over-allocation. */
    CLAIM_IGNORES_GENERATION(new PlantedBugs(true, false)),
    /** Deleting a VM keeps its allocation: I2 must see a host holding more than its VMs. */
    RELEASE_SKIPPED_ON_DELETE(new PlantedBugs(false, true));

    private final PlantedBugs bugs;

    Mutation(PlantedBugs bugs) {
        this.bugs = bugs;
    }

    PlantedBugs bugs() {
        return bugs;
    }

    String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Mutation parse(String flag) {
        for (Mutation mutation : values()) {
            if (mutation.flag().equals(flag)) {
                return mutation;
            }
        }
        throw new IllegalArgumentException("unknown mutation '" + flag + "'");
    }
}
