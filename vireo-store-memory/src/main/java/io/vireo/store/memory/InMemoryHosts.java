package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.HostDeletion;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hosts in memory, as agents register them; a deleted host moves to {@link MemoryState#deletedHosts}, out of every
 * lookup, listing and claim. Invariant: a host's allocation changes only through
 * {@link InMemoryClaims} and {@link InMemoryMigrations}; registration and capacity policies keep it within the effective
 * capacity (or record the agent's reservation below it, ADR 10). Thread-safe: every call holds the state's lock.
 */
final class InMemoryHosts implements HostRepository {
    private final MemoryState memory;
    private final InMemoryVolumes volumes;

    InMemoryHosts(MemoryState memory, InMemoryVolumes volumes) {
        this.memory = requireNonNull(memory, "memory is null");
        this.volumes = requireNonNull(volumes, "volumes is null");
    }

    @Override
    public Host register(HostRegistration registration, CapacityPolicy defaults, Instant now) {
        synchronized (memory.lock) {
            Optional<Host> known = findByName(registration.name());
            Host host = known.map(old -> reregistered(old, registration, defaults, now))
                    .orElseGet(() -> new Host(
                            memory.ids.next(),
                            registration.name(),
                            now,
                            HostState.UP,
                            registration.capacity(),
                            Resources.ZERO,
                            1,
                            registration.capabilities(),
                            registration.driver(),
                            now,
                            HostUsage.NONE,
                            registration.reservation().applyTo(defaults),
                            false,
                            registration.reservation()));
            memory.hosts.put(host.id(), host);
            return host;
        }
    }

    @Override
    public Host register(UUID id, HostRegistration registration, CapacityPolicy defaults, Instant now) {
        synchronized (memory.lock) {
            Host known = memory.hosts.get(id);
            Optional<Host> named = findByName(registration.name());
            if (memory.deletedHosts.containsKey(id)) {
                throw VireoException.conflict("host " + id + " is registered under another name than "
                        + registration.name() + ", or was deleted");
            }
            if (known != null && !known.name().equals(registration.name())) {
                throw VireoException.conflict(
                        "host " + id + " is registered under another name than " + registration.name());
            }
            if (named.isPresent() && !named.get().id().equals(id)) {
                throw VireoException.conflict("host name " + registration.name() + " belongs to another host");
            }
            Host host = known != null
                    ? reregistered(known, registration, defaults, now)
                    : new Host(
                            id,
                            registration.name(),
                            now,
                            HostState.UP,
                            registration.capacity(),
                            Resources.ZERO,
                            1,
                            registration.capabilities(),
                            registration.driver(),
                            now,
                            HostUsage.NONE,
                            registration.reservation().applyTo(defaults),
                            false,
                            registration.reservation());
            memory.hosts.put(host.id(), host);
            return host;
        }
    }

    /**
     * A known host re-registered: an operator's policy is kept; else the defaults (with the agent's reservation)
     * if the allocation fits them, else the policy it had; the agent's reservation applies in every case but the
     * first. CONFLICT if the allocation exceeds the result, not counting the agent's own reservation.
     */
    private static Host reregistered(Host old, HostRegistration registration, CapacityPolicy defaults, Instant now) {
        HostReservation reported = registration.reservation();
        CapacityPolicy candidate = reported.applyTo(defaults);
        boolean keeps = old.capacityPolicyOverridden()
                || candidate.excess(registration.capacity(), old.allocated()).isPresent();
        CapacityPolicy policy;
        HostReservation recorded;
        if (old.capacityPolicyOverridden()) {
            policy = old.capacityPolicy();
            recorded = reported;
        } else if (keeps) {
            policy = reported.applyTo(old.capacityPolicy());
            recorded = reported.orElse(old.agentReservation());
        } else {
            policy = candidate;
            recorded = reported;
        }
        CapacityPolicy bound = old.capacityPolicyOverridden() ? policy : recorded.withoutReportedReservations(policy);
        Optional<String> excess = bound.excess(registration.capacity(), old.allocated());
        if (excess.isPresent()) {
            throw VireoException.conflict("host '" + registration.name()
                    + "' reports less capacity than is allocated on it: " + registration.capacity() + " ("
                    + excess.get() + ")");
        }
        return new Host(
                old.id(),
                old.name(),
                old.createdAt(),
                old.state() == HostState.MAINTENANCE ? HostState.MAINTENANCE : HostState.UP,
                registration.capacity(),
                old.allocated(),
                old.resourceGeneration() + 1,
                registration.capabilities(),
                registration.driver(),
                now,
                old.usage(),
                policy,
                old.capacityPolicyOverridden(),
                recorded);
    }

    @Override
    public Host setCapacityPolicy(UUID hostId, CapacityPolicy policy) {
        synchronized (memory.lock) {
            Host old = memory.hosts.get(hostId);
            if (old == null) {
                throw VireoException.notFound("host", hostId.toString());
            }
            Optional<String> excess = policy.excess(old.capacity(), old.allocated());
            if (excess.isPresent()) {
                throw VireoException.conflict(
                        "host '" + old.name() + "' has more allocated than that policy allows: " + excess.get());
            }
            Host host = old.withCapacityPolicy(policy, true);
            memory.hosts.put(hostId, host);
            return host;
        }
    }

    @Override
    public Host resetCapacityPolicy(UUID hostId, CapacityPolicy defaults) {
        synchronized (memory.lock) {
            Host old = memory.hosts.get(hostId);
            if (old == null) {
                throw VireoException.notFound("host", hostId.toString());
            }
            CapacityPolicy policy = old.agentReservation().applyTo(defaults);
            Optional<String> excess = policy.excess(old.capacity(), old.allocated());
            if (excess.isPresent()) {
                throw VireoException.conflict("host '" + old.name()
                        + "' has more allocated than the server's default policy allows: " + excess.get());
            }
            Host host = old.withCapacityPolicy(policy, false);
            memory.hosts.put(hostId, host);
            return host;
        }
    }

    @Override
    public Optional<Host> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.hosts.get(id));
        }
    }

    @Override
    public Optional<Host> findByName(String name) {
        synchronized (memory.lock) {
            return memory.hosts.values().stream()
                    .filter(h -> h.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Host> list() {
        synchronized (memory.lock) {
            return memory.hosts.values().stream().sorted(comparing(Host::name)).toList();
        }
    }

    @Override
    public void recordHeartbeats(Map<UUID, HostUsage> usages, Instant now) {
        synchronized (memory.lock) {
            usages.forEach(
                    (hostId, usage) -> memory.hosts.computeIfPresent(hostId, (id, h) -> h.withHeartbeat(now, usage)));
        }
    }

    @Override
    public boolean transition(UUID hostId, HostState expected, HostState next) {
        synchronized (memory.lock) {
            Host host = memory.hosts.get(hostId);
            if (host == null || host.state() != expected) {
                return false;
            }
            memory.hosts.put(hostId, host.withState(next));
            return true;
        }
    }

    @Override
    public void recordLeaseRenewals(java.util.Collection<UUID> hostIds, Instant now) {
        synchronized (memory.lock) {
            for (UUID hostId : hostIds) {
                if (memory.hosts.containsKey(hostId)) {
                    memory.leaseRenewals.put(hostId, now);
                }
            }
        }
    }

    @Override
    public Map<UUID, java.time.Duration> leaseAges(Instant now) {
        synchronized (memory.lock) {
            Map<UUID, java.time.Duration> ages = new java.util.HashMap<>();
            memory.leaseRenewals.forEach(
                    (hostId, renewed) -> ages.put(hostId, java.time.Duration.between(renewed, now)));
            return ages;
        }
    }

    @Override
    public void updateState(UUID hostId, HostState state) {
        synchronized (memory.lock) {
            memory.hosts.computeIfPresent(hostId, (id, h) -> h.withState(state));
        }
    }

    @Override
    public HostDeletion delete(UUID hostId, Instant now) {
        synchronized (memory.lock) {
            Host host = memory.hosts.get(hostId);
            if (host == null) {
                return HostDeletion.NOT_FOUND;
            }
            List<String> vms = memory.vms.values().stream()
                    .filter(vm -> hostId.equals(vm.hostId()) && vm.state() != VmState.DELETED)
                    .map(Vm::name)
                    .sorted()
                    .toList();
            List<String> volumesThere = volumes.namesOnHost(hostId);
            long migrations = memory.migrations.values().stream()
                    .filter(m -> m.state().inFlight()
                            && (m.sourceHostId().equals(hostId)
                                    || m.destinationHostId().equals(hostId)))
                    .count();
            boolean draining = memory.drains.containsKey(hostId);
            if (!vms.isEmpty()
                    || !volumesThere.isEmpty()
                    || migrations > 0
                    || draining
                    || !HostDeletion.DELETABLE_STATES.contains(host.state())) {
                return new HostDeletion.Blocked(
                        host, vms.size(), first(vms), migrations, draining, volumesThere.size(), first(volumesThere));
            }
            memory.hosts.remove(hostId);
            memory.leaseRenewals.remove(hostId);
            memory.deletedHosts.put(hostId, host);
            return new HostDeletion.Deleted(host);
        }
    }

    private static List<String> first(List<String> names) {
        return names.subList(0, Math.min(names.size(), HostDeletion.Blocked.MAX_NAMES));
    }

    @Override
    public boolean startDrain(HostDrain drain) {
        synchronized (memory.lock) {
            if (!memory.hosts.containsKey(drain.hostId()) || memory.drains.containsKey(drain.hostId())) {
                return false;
            }
            memory.drains.put(drain.hostId(), drain);
            return true;
        }
    }

    @Override
    public List<HostDrain> drains() {
        synchronized (memory.lock) {
            return memory.drains.values().stream()
                    .sorted(comparing(HostDrain::requestedAt).thenComparing(HostDrain::hostId))
                    .toList();
        }
    }

    @Override
    public boolean endDrain(UUID hostId) {
        synchronized (memory.lock) {
            return memory.drains.remove(hostId) != null;
        }
    }
}
