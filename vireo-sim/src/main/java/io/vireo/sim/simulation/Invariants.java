package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.store.memory.InMemoryStore;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The invariants, checked after every event (I3 once faults have stopped and the bound has passed):
 *
 * <ul>
 *   <li>I1 no VM has a live instance on two hosts at once (from the drivers themselves, incrementally);
 *   <li>I2 no host's allocation above its effective capacity, and each equal to the sum of the allocations of the VMs
 *       placed on it;
 *   <li>I3 every VM converged: its state settled and what was asked (or ERROR with a reason, or STOPPED with a reason
 *       when the guest of a paused VM ended), its instance on its host only, a deleted VM's instance nowhere;
 *   <li>I4 no acknowledged create lost; no VM's generation or epoch goes backwards;
 *   <li>I5 a hard anti-affinity group never has more than its {@code maxPerHost} members on one host;
 *   <li>I6 one Idempotency-Key, one VM.
 * </ul>
 *
 * The store-reading checks run only after events that wrote the store.
 */
final class Invariants {
    enum Name {
        I1,
        I2,
        I3,
        I4,
        I5,
        I6
    }

    record Violation(Name invariant, String message) {}

    private final Simulation sim;
    private final InMemoryStore memory;
    private final EnumMap<Name, Long> checkedNonEmpty = new EnumMap<>(Name.class);
    private final Map<UUID, long[]> lastSeen = new LinkedHashMap<>();
    private long writesSeen = -1;

    Invariants(Simulation sim, InMemoryStore memory) {
        this.sim = requireNonNull(sim, "sim is null");
        this.memory = requireNonNull(memory, "memory is null");
    }

    Map<Name, Long> checkedNonEmpty() {
        return new EnumMap<>(checkedNonEmpty);
    }

    private void checked(Name name) {
        checkedNonEmpty.merge(name, 1L, Long::sum);
    }

    Optional<Violation> afterEvent() {
        for (UUID vmId : sim.instances().drainTouched()) {
            Set<String> hosts = sim.instances().hosts(vmId);
            checked(Name.I1);
            if (hosts.size() > 1) {
                return violation(Name.I1, "VM " + vmId + " has live instances on " + hosts);
            }
        }
        long writes = sim.store().writes();
        if (writes == writesSeen) {
            return Optional.empty();
        }
        writesSeen = writes;
        InMemoryStore.View view = memory.view();
        return allocations(view).or(() -> progress(view)).or(() -> groups(view)).or(this::keys);
    }

    /**
     * What each host's placed VMs hold: every VM with a host that is not DELETED, plus what each migration in flight
     * holds on its destination (the store's own rows aside).
     */
    private Optional<Violation> allocations(InMemoryStore.View view) {
        Map<UUID, Resources> sums = new LinkedHashMap<>();
        for (Vm vm : view.vms().values()) {
            UUID hostId = vm.hostId();
            if (hostId != null && vm.state() != VmState.DELETED) {
                sums.merge(hostId, vm.resources(), Resources::plus);
            }
        }
        for (Migration migration : view.migrations().values()) {
            if (migration.state().inFlight()) {
                sums.merge(migration.destinationHostId(), migration.resources(), Resources::plus);
            }
        }
        for (Host host : view.hosts().values()) {
            Resources sum = sums.getOrDefault(host.id(), Resources.ZERO);
            if (!host.allocated().equals(Resources.ZERO)) {
                checked(Name.I2);
            }
            if (!host.allocated().equals(sum)) {
                return violation(
                        Name.I2,
                        "host " + host.name() + " has " + host.allocated() + " allocated but its VMs" + " hold " + sum);
            }
            if (!host.allocated().fitsWithin(host.effectiveCapacity())) {
                return violation(
                        Name.I2,
                        "host " + host.name() + " has " + host.allocated() + " allocated, above its"
                                + " effective capacity " + host.effectiveCapacity());
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> progress(InMemoryStore.View view) {
        for (Vm vm : view.vms().values()) {
            long[] last = lastSeen.computeIfAbsent(vm.id(), id -> new long[] {vm.generation(), vm.epoch()});
            checked(Name.I4);
            if (vm.generation() < last[0] || vm.epoch() < last[1]) {
                return violation(
                        Name.I4,
                        "VM " + vm.name() + " went back from generation " + last[0] + " epoch " + last[1]
                                + " to generation " + vm.generation() + " epoch " + vm.epoch());
            }
            last[0] = vm.generation();
            last[1] = vm.epoch();
        }
        return Optional.empty();
    }

    private Optional<Violation> groups(InMemoryStore.View view) {
        for (ServerGroup group : view.groups().values()) {
            if (group.policy() != ServerGroupPolicy.ANTI_AFFINITY) {
                continue;
            }
            Map<UUID, Integer> perHost = new LinkedHashMap<>();
            for (Vm vm : view.vms().values()) {
                UUID hostId = vm.hostId();
                if (group.id().equals(vm.constraints().serverGroupId())
                        && hostId != null
                        && vm.state() != VmState.DELETED) {
                    perHost.merge(hostId, 1, Integer::sum);
                }
            }
            if (!perHost.isEmpty()) {
                checked(Name.I5);
            }
            for (Map.Entry<UUID, Integer> entry : perHost.entrySet()) {
                if (entry.getValue() > group.maxPerHost()) {
                    return violation(
                            Name.I5,
                            "group " + group.name() + " has " + entry.getValue() + " members on host " + entry.getKey()
                                    + " (at most " + group.maxPerHost() + ")");
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> keys() {
        for (Map.Entry<String, Set<UUID>> entry : sim.workload().idsByKey().entrySet()) {
            checked(Name.I6);
            if (entry.getValue().size() > 1) {
                return violation(Name.I6, "Idempotency-Key " + entry.getKey() + " made VMs " + entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** I3 and the rest of I4, once faults have stopped and the convergence bound has passed. */
    Optional<Violation> atEnd(Map<UUID, String> hostNames) {
        InMemoryStore.View view = memory.view();
        for (Map.Entry<UUID, String> acknowledged :
                sim.workload().acknowledged().entrySet()) {
            checked(Name.I4);
            if (!view.vms().containsKey(acknowledged.getKey())) {
                return violation(Name.I4, "acknowledged VM " + acknowledged.getValue() + " is not in the store");
            }
        }
        for (Vm vm : view.vms().values()) {
            checked(Name.I3);
            Set<String> instances = sim.instances().hosts(vm.id());
            UUID hostId = vm.hostId();
            String host = hostId == null ? null : hostNames.get(hostId);
            Optional<String> problem = convergence(vm, instances, host);
            if (problem.isPresent()) {
                return violation(
                        Name.I3,
                        "VM " + vm.name() + " (" + vm.state() + ", desired " + vm.desiredState() + ", on " + host
                                + ", instances on " + instances + "): " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> convergence(Vm vm, Set<String> instances, @Nullable String host) {
        if (vm.state() == VmState.DELETED) {
            return instances.isEmpty() ? Optional.empty() : Optional.of("deleted but still running");
        }
        if (vm.desiredState() == DesiredState.DELETED) {
            return Optional.of("never deleted");
        }
        if (vm.state() == VmState.ERROR) {
            return vm.stateReason() == null ? Optional.of("ERROR without a reason") : Optional.empty();
        }
        if (vm.desiredState() == DesiredState.PAUSED && vm.state() == VmState.STOPPED) {
            // the agent does not boot a gone guest only to pause it; the VM must say so
            return vm.stateReason() == null || !instances.isEmpty()
                    ? Optional.of("STOPPED instead of PAUSED without a reason, or still live")
                    : Optional.empty();
        }
        boolean settled = switch (vm.desiredState()) {
            case RUNNING -> vm.state() == VmState.RUNNING;
            case STOPPED -> vm.state() == VmState.STOPPED;
            case PAUSED -> vm.state() == VmState.PAUSED;
            case DELETED -> false;
        };
        if (!settled) {
            return Optional.of("not settled");
        }
        if (vm.state() == VmState.STOPPED) {
            return instances.isEmpty() ? Optional.empty() : Optional.of("stopped but live on " + instances);
        }
        return host != null && instances.equals(Set.of(host))
                ? Optional.empty()
                : Optional.of("its instance is not on its host only");
    }

    private static Optional<Violation> violation(Name name, String message) {
        return Optional.of(new Violation(name, message));
    }
}
