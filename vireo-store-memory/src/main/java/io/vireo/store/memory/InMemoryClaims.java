package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.ClaimRepository;
import io.vireo.controller.port.ClaimRequest;
import io.vireo.controller.port.ClaimResult;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one claim path in memory: {@link #claim} checks each unit of a request — the whole request, or each host in id
 * order — in the order of precedence of {@link ClaimResult} (VMs, hosts, then the groups' hard rule through
 * {@link ServerGroup#hardRuleBrokenAt}, the function the PostgreSQL store applies too) and writes it only if all pass;
 * a later unit sees what earlier ones wrote. Thread-safe: a call holds the state's lock from its first check to its
 * last write, which is what makes it one transaction.
 */
final class InMemoryClaims implements ClaimRepository {
    private final MemoryState memory;
    private final InMemoryVolumes volumes;

    InMemoryClaims(MemoryState memory, InMemoryVolumes volumes) {
        this.memory = requireNonNull(memory, "memory is null");
        this.volumes = requireNonNull(volumes, "volumes is null");
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        synchronized (memory.lock) {
            if (request.atomicity() == ClaimRequest.Atomicity.PER_HOST) {
                return claimPerHost(request);
            }
            Optional<ClaimResult.Refused> refused = refusal(request.hosts(), request.transitions());
            if (refused.isPresent()) {
                return refused.get();
            }
            return new ClaimResult.Claimed(apply(request.hosts(), request.transitions(), request.now()));
        }
    }

    /** Each host on its own, in id order, as the PostgreSQL store takes them. */
    private ClaimResult claimPerHost(ClaimRequest request) {
        Map<UUID, Host> claimed = new HashMap<>();
        Map<UUID, ClaimResult.Refused> refused = new HashMap<>();
        List<ClaimRequest.HostClaim> inIdOrder = request.hosts().stream()
                .sorted(comparing(host -> host.hostId().toString()))
                .toList();
        for (ClaimRequest.HostClaim host : inIdOrder) {
            List<ClaimRequest.HostClaim> unit = List.of(host);
            List<VmTransition> transitions = request.transitionsOn(host.hostId());
            Optional<ClaimResult.Refused> refusal = refusal(unit, transitions);
            if (refusal.isPresent()) {
                refused.put(host.hostId(), refusal.get());
            } else {
                claimed.put(
                        host.hostId(), apply(unit, transitions, request.now()).get(0));
            }
        }
        List<Host> inRequestOrder = request.hosts().stream()
                .map(host -> claimed.get(host.hostId()))
                .filter(Objects::nonNull)
                .toList();
        return refused.isEmpty()
                ? new ClaimResult.Claimed(inRequestOrder)
                : new ClaimResult.PerHost(inRequestOrder, refused);
    }

    /** Why the unit cannot be claimed, in the order of precedence of {@link ClaimResult}; empty if it can. */
    private Optional<ClaimResult.Refused> refusal(List<ClaimRequest.HostClaim> unit, List<VmTransition> transitions) {
        for (VmTransition transition : transitions) {
            if (!ready(transition)) {
                return Optional.of(new ClaimResult.VmChanged(transition.vmId()));
            }
        }
        boolean conditional = !memory.bugs.claimIgnoresGeneration();
        for (ClaimRequest.HostClaim claim : unit) {
            Host host = memory.hosts.get(claim.hostId());
            if (host == null
                    || (conditional
                            && (host.resourceGeneration() != claim.expectedGeneration()
                                    || !host.fits(claim.demand())))) {
                return Optional.of(new ClaimResult.HostChanged(claim.hostId()));
            }
        }
        return groupRuleBroken(transitions);
    }

    /** Whether the transition's precondition holds ({@link VmTransition}). */
    private boolean ready(VmTransition transition) {
        Vm vm = memory.vms.get(transition.vmId());
        return switch (transition) {
            case VmTransition.Place place -> claimable(vm);
            case VmTransition.HoldForMigration hold ->
                vm != null
                        && hold.migration().sourceHostId().equals(vm.hostId())
                        && vm.epoch() == hold.migration().sourceEpoch()
                        && vm.desiredState() != DesiredState.DELETED
                        && !memory.migrating(vm.id());
        };
    }

    /**
     * The first group (in id order) whose hard rule the transitions' placements break, counting its other live
     * members where they are and where their migrations in flight go: {@link ServerGroup#hardRuleBrokenAt}.
     */
    private Optional<ClaimResult.Refused> groupRuleBroken(List<VmTransition> transitions) {
        Map<UUID, List<UUID>> placementsByGroup = new TreeMap<>(comparing(UUID::toString));
        Set<UUID> moving = new HashSet<>();
        for (VmTransition transition : transitions) {
            moving.add(transition.vmId());
            UUID groupId = requireNonNull(memory.vms.get(transition.vmId()))
                    .constraints()
                    .serverGroupId();
            if (groupId != null) {
                placementsByGroup
                        .computeIfAbsent(groupId, id -> new ArrayList<>())
                        .add(transition.hostId());
            }
        }
        for (Map.Entry<UUID, List<UUID>> placements : placementsByGroup.entrySet()) {
            ServerGroup group = memory.serverGroups.get(placements.getKey());
            if (group == null) {
                continue;
            }
            Optional<UUID> broken = group.hardRuleBrokenAt(otherMembers(group.id(), moving), placements.getValue());
            if (broken.isPresent()) {
                return Optional.of(new ClaimResult.GroupRuleBroken(group.id(), broken.get()));
            }
        }
        return Optional.empty();
    }

    /** Where each live member of the group not in {@code moving} is: its host and its migration's destination. */
    private List<Set<UUID>> otherMembers(UUID groupId, Set<UUID> moving) {
        Map<UUID, Set<UUID>> where = new LinkedHashMap<>();
        for (Vm member : memory.vms.values()) {
            if (groupId.equals(member.constraints().serverGroupId())
                    && member.state() != VmState.DELETED
                    && !moving.contains(member.id())) {
                Set<UUID> hostsOfMember = new HashSet<>();
                if (member.hostId() != null) {
                    hostsOfMember.add(member.hostId());
                }
                where.put(member.id(), hostsOfMember);
            }
        }
        for (Migration m : memory.migrations.values()) {
            Set<UUID> member = where.get(m.vmId());
            if (member != null && m.state().inFlight()) {
                member.add(m.destinationHostId());
            }
        }
        return List.copyOf(where.values());
    }

    /** Writes a unit that can be claimed; returns its memory.hosts as written, in the unit's order. */
    private List<Host> apply(List<ClaimRequest.HostClaim> unit, List<VmTransition> transitions, Instant now) {
        List<Host> written = new ArrayList<>();
        for (ClaimRequest.HostClaim claim : unit) {
            Host host = requireNonNull(memory.hosts.get(claim.hostId()));
            Host claimed = host.withAllocation(host.allocated().plus(claim.demand()));
            memory.hosts.put(claimed.id(), claimed);
            written.add(claimed);
        }
        for (VmTransition transition : transitions) {
            switch (transition) {
                case VmTransition.Place place -> {
                    Vm vm = requireNonNull(memory.vms.get(place.vmId()));
                    memory.allocations.put(vm.id(), place.resources());
                    memory.vms.put(
                            vm.id(), vm.withPlacement(place.hostId(), vm.epoch() + 1, VmState.SCHEDULED, null, now));
                }
                case VmTransition.HoldForMigration hold ->
                    memory.migrations.put(hold.migration().id(), hold.migration());
            }
        }
        return written;
    }

    @Override
    public boolean releaseAndMarkDeleted(UUID vmId, Instant now) {
        synchronized (memory.lock) {
            return release(vmId, now);
        }
    }

    @Override
    public boolean releaseAndMarkDeleted(UUID vmId, UUID hostId, long epoch, Instant now) {
        synchronized (memory.lock) {
            Vm vm = memory.vms.get(vmId);
            if (vm != null && (!hostId.equals(vm.hostId()) || vm.epoch() != epoch)) {
                return false;
            }
            return release(vmId, now);
        }
    }

    /** Under {@code memory.lock}. */
    private boolean release(UUID vmId, Instant now) {
        Vm vm = memory.vms.get(vmId);
        if (vm == null) {
            return true;
        }
        if (memory.migrating(vmId)) {
            return false;
        }
        Resources released = memory.bugs.releaseSkippedOnDelete() ? null : memory.allocations.remove(vmId);
        UUID hostId = vm.hostId();
        if (released != null && hostId != null) {
            Host host = memory.hosts.get(hostId);
            if (host != null) {
                memory.hosts.put(hostId, host.withAllocation(host.allocated().minus(released)));
            }
        }
        volumes.release(vmId, hostId);
        memory.vms.put(vmId, vm.withStatus(VmState.DELETED, null, vm.generation(), null, now));
        return true;
    }

    @Override
    public boolean releaseForRestart(UUID vmId, UUID hostId, long epoch, String reason, Instant now) {
        synchronized (memory.lock) {
            Vm vm = memory.vms.get(vmId);
            Host fenced = memory.hosts.get(hostId);
            if (vm == null
                    || fenced == null
                    || fenced.state() != HostState.FENCED
                    || !hostId.equals(vm.hostId())
                    || vm.epoch() != epoch
                    || vm.state() == VmState.DELETED
                    || memory.migrating(vmId)) {
                return false;
            }
            Resources released = memory.allocations.remove(vmId);
            Host host = memory.hosts.get(hostId);
            if (released != null && host != null) {
                memory.hosts.put(hostId, host.withAllocation(host.allocated().minus(released)));
            }
            memory.placementHolds.remove(vmId);
            memory.vms.put(vmId, vm.withPlacement(null, epoch + 1, VmState.PENDING, reason, now));
            return true;
        }
    }

    private static boolean claimable(@Nullable Vm vm) {
        return vm != null
                && vm.hostId() == null
                && vm.desiredState() != DesiredState.DELETED
                && vm.state() == VmState.PENDING;
    }
}
