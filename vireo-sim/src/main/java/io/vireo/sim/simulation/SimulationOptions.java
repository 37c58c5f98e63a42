package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run's shape: everything but the seed decides nothing by itself; with the seed it decides everything.
 *
 * @param hosts simulated hosts
 * @param vms VMs the clients create at most
 * @param steps events in the fault phase (then faults stop and the run converges)
 * @param faults the fault kinds that may fire
 * @param mutation a planted bug, or NONE
 */
record SimulationOptions(int hosts, int vms, long steps, Set<FaultKind> faults, Mutation mutation) {
    static final int MAX_HOSTS = 10_000;

    SimulationOptions {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be 1.." + MAX_HOSTS + ": " + hosts);
        }
        if (vms < 0 || steps < 1) {
            throw new IllegalArgumentException("--vms must be >= 0 and --steps >= 1");
        }
        faults = faults.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(faults);
        requireNonNull(mutation, "mutation is null");
    }

    static SimulationOptions defaults() {
        return new SimulationOptions(5, 50, 20_000, EnumSet.allOf(FaultKind.class), Mutation.NONE);
    }

    SimulationOptions withHosts(int newHosts) {
        return new SimulationOptions(newHosts, vms, steps, faults, mutation);
    }

    SimulationOptions withVms(int newVms) {
        return new SimulationOptions(hosts, newVms, steps, faults, mutation);
    }

    SimulationOptions withSteps(long newSteps) {
        return new SimulationOptions(hosts, vms, newSteps, faults, mutation);
    }

    SimulationOptions withFaults(Set<FaultKind> newFaults) {
        return new SimulationOptions(hosts, vms, steps, newFaults, mutation);
    }

    SimulationOptions withMutation(Mutation newMutation) {
        return new SimulationOptions(hosts, vms, steps, faults, newMutation);
    }

    String faultsFlag() {
        if (faults.isEmpty()) {
            return "none";
        }
        if (faults.equals(EnumSet.allOf(FaultKind.class))) {
            return "all";
        }
        return faults.stream().map(FaultKind::flag).collect(Collectors.joining(","));
    }

    /** The command line that replays a seed with these options. */
    String command(long seed) {
        return "./vireo sim run --seed " + seed + " --hosts " + hosts + " --vms " + vms + " --steps " + steps
                + " --faults " + faultsFlag() + (mutation == Mutation.NONE ? "" : " --mutation " + mutation.flag());
    }
}
