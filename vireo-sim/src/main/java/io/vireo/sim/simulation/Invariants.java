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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
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
 * The store-reading checks look only at what each event wrote (the store's change log, {@link
 * InMemoryStore#drainChanges}), keeping per-host sums and per-group counts up to date: their cost is per event, not
 * per VM.
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
    private final Map<UUID, Holding> vmHoldings = new LinkedHashMap<>();
    private final Map<UUID, Holding> migrationHoldings = new LinkedHashMap<>();
    private final Map<UUID, Resources> sums = new LinkedHashMap<>();
    private final Map<GroupHost, Integer> groupCounts = new LinkedHashMap<>();
    private final Set<GroupHost> groupsTouched = new LinkedHashSet<>();

    /** Members of an anti-affinity group on one host. */
    private record GroupHost(UUID groupId, UUID hostId) {}

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
        InMemoryStore.Changes changes = memory.drainChanges();
        if (changes.isEmpty() && sim.workload().keysTouched().isEmpty()) {
            return Optional.empty();
        }
        return allocations(changes)
                .or(() -> progress(changes))
                .or(() -> groups(changes))
                .or(this::keys);
    }

    /** What a VM or a migration holds on a host, as the checkers last counted it. */
    private record Holding(
            UUID hostId, Resources resources, @Nullable UUID antiAffinityGroup) {}

    /**
     * I2, at the cost of what changed: each host's allocation must equal what its placed VMs (not DELETED) hold plus
     * what each migration in flight holds on its destination, and fit its effective capacity. The sums are kept up to
     * date from the VMs and migrations an event wrote; only the hosts whose sums or rows changed are checked.
     */
    private Optional<Violation> allocations(InMemoryStore.Changes changes) {
        Set<UUID> affected = new LinkedHashSet<>(changes.hosts().keySet());
        for (UUID vmId : changes.vms().keySet()) {
            Vm vm = changes.vms().get(vmId);
            UUID hostId = vm == null ? null : vm.hostId();
            Holding now = vm == null || hostId == null || vm.state() == VmState.DELETED
                    ? null
                    : new Holding(hostId, vm.resources(), antiAffinityGroup(vm, changes));
            account(vmHoldings, vmId, now, affected);
        }
        for (Map.Entry<UUID, Migration> entry : changes.migrations().entrySet()) {
            Migration migration = entry.getValue();
            Holding now = migration.state().inFlight()
                    ? new Holding(migration.destinationHostId(), migration.resources(), null)
                    : null;
            account(migrationHoldings, entry.getKey(), now, affected);
        }
        for (UUID hostId : affected) {
            Host host = changes.hosts().get(hostId);
            if (host == null) {
                host = memory.host(hostId).orElse(null);
            }
            if (host == null) {
                continue;
            }
            Resources sum = sums.getOrDefault(hostId, Resources.ZERO);
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

    /** Replaces what {@code id} held with {@code now}, updating the per-host sums and group counts. */
    private void account(Map<UUID, Holding> holdings, UUID id, @Nullable Holding now, Set<UUID> affected) {
        Holding before = now == null ? holdings.remove(id) : holdings.put(id, now);
        if (Objects.equals(before, now)) {
            return;
        }
        if (before != null) {
            sums.merge(before.hostId(), before.resources(), Resources::minus);
            affected.add(before.hostId());
            UUID group = before.antiAffinityGroup();
            if (group != null) {
                groupCounts.merge(new GroupHost(group, before.hostId()), -1, Integer::sum);
            }
        }
        if (now != null) {
            sums.merge(now.hostId(), now.resources(), Resources::plus);
            affected.add(now.hostId());
            UUID group = now.antiAffinityGroup();
            if (group != null) {
                GroupHost key = new GroupHost(group, now.hostId());
                groupCounts.merge(key, 1, Integer::sum);
                groupsTouched.add(key);
            }
        }
    }

    private static @Nullable UUID antiAffinityGroup(Vm vm, InMemoryStore.Changes changes) {
        UUID groupId = vm.constraints().serverGroupId();
        ServerGroup group = groupId == null ? null : changes.groups().get(groupId);
        return group != null && group.policy() == ServerGroupPolicy.ANTI_AFFINITY ? groupId : null;
    }

    /** I4 on the VMs an event wrote: no generation or epoch goes backwards. */
    private Optional<Violation> progress(InMemoryStore.Changes changes) {
        for (Vm vm : changes.vms().values()) {
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

    /** I5 on the (group, host) pairs that gained a member: at most {@code maxPerHost} members of the group there. */
    private Optional<Violation> groups(InMemoryStore.Changes changes) {
        for (GroupHost key : groupsTouched) {
            ServerGroup group = changes.groups().get(key.groupId());
            int members = groupCounts.getOrDefault(key, 0);
            if (group == null || members == 0) {
                continue;
            }
            checked(Name.I5);
            if (members > group.maxPerHost()) {
                groupsTouched.clear();
                return violation(
                        Name.I5,
                        "group " + group.name() + " has " + members + " members on host " + key.hostId() + " (at most "
                                + group.maxPerHost() + ")");
            }
        }
        groupsTouched.clear();
        return Optional.empty();
    }

    /** I6 on the keys that gained a VM: one Idempotency-Key, one VM. */
    private Optional<Violation> keys() {
        for (String key : sim.workload().keysTouched()) {
            Set<UUID> ids = sim.workload().idsByKey().getOrDefault(key, Set.of());
            checked(Name.I6);
            if (ids.size() > 1) {
                return violation(Name.I6, "Idempotency-Key " + key + " made VMs " + ids);
            }
        }
        sim.workload().keysTouched().clear();
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
