package io.vireo.sim.simulation;

import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.controller.HostMonitor;
import io.vireo.store.memory.InMemoryStore.PlantedBugs;
import java.util.Locale;

/**
 * Bugs planted at real seams, to prove the invariant checkers can fail: each must be caught within 200 seeds. Wired
 * only here; the product never plants them.
 */
enum Mutation {
    NONE(PlantedBugs.NONE, VmReconciler.PlantedBugs.NONE, HostMonitor.PlantedBugs.NONE),
    /** The store's claim skips its conditional write (generation and free room): I2 must see an over-allocation. */
    CLAIM_IGNORES_GENERATION(
            new PlantedBugs(true, false, false), VmReconciler.PlantedBugs.NONE, HostMonitor.PlantedBugs.NONE),
    /** Deleting a VM keeps its allocation: I2 must see a host holding more than its VMs. */
    RELEASE_SKIPPED_ON_DELETE(
            new PlantedBugs(false, true, false), VmReconciler.PlantedBugs.NONE, HostMonitor.PlantedBugs.NONE),
    /**
     * The agent takes desired entries whatever their epoch: a VM that migrated away is started again on its old host by
     * an entry sent before the move and delivered after it, and I1 must see it run on two hosts.
     */
    AGENT_IGNORES_EPOCH(PlantedBugs.NONE, new VmReconciler.PlantedBugs(true), HostMonitor.PlantedBugs.NONE),
    /**
     * The store applies a repeated migration report again (a duplicated message, or the RESUMED report after the
     * source's SOURCE_COMPLETED already completed it): the source is released twice, and I2 must see it.
     */
    DUPLICATE_DELIVERY_NOT_DEDUPLICATED(
            new PlantedBugs(false, false, true), VmReconciler.PlantedBugs.NONE, HostMonitor.PlantedBugs.NONE),
    /**
     * The server fences a host as soon as it is SUSPECT, before its guard's deadline: a VM of a host cut off from the
     * server is restarted elsewhere while its guard has not yet ended it, and I1 must see it run on two hosts.
     */
    FENCES_AT_SUSPECT(PlantedBugs.NONE, VmReconciler.PlantedBugs.NONE, new HostMonitor.PlantedBugs(true));

    private final PlantedBugs bugs;
    private final VmReconciler.PlantedBugs agentBugs;
    private final HostMonitor.PlantedBugs monitorBugs;

    Mutation(PlantedBugs bugs, VmReconciler.PlantedBugs agentBugs, HostMonitor.PlantedBugs monitorBugs) {
        this.bugs = bugs;
        this.agentBugs = agentBugs;
        this.monitorBugs = monitorBugs;
    }

    HostMonitor.PlantedBugs monitorBugs() {
        return monitorBugs;
    }

    PlantedBugs bugs() {
        return bugs;
    }

    VmReconciler.PlantedBugs agentBugs() {
        return agentBugs;
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
