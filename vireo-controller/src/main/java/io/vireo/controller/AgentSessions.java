package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.Repositories;
import io.vireo.model.AuditRecord;
import io.vireo.model.DesiredVm;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Vm;
import io.vireo.model.VmLifecycle;
import io.vireo.model.VmState;
import io.vireo.model.VmStats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does with what agents say: registration, heartbeats and VM reports. A report is folded into each
 * VM's status through {@link VmLifecycle#derive}; a VM whose deletion the agent confirms is released and marked
 * DELETED. Reports from a stale placement epoch or about a VM placed elsewhere are ignored.
 *
 * <p>Thread-safe: each agent's messages arrive on that agent's transport thread; writes are conditional on the VM's
 * generation and retried.
 */
public final class AgentSessions {
    /** The most VM samples one heartbeat may record: a bound on the work one message causes. */
    public static final int MAX_SAMPLES_PER_HEARTBEAT = 4096;

    private static final Logger log = LoggerFactory.getLogger(AgentSessions.class);
    private static final String HOST = "host";

    private final Repositories store;
    private final AgentGateway agents;
    private final PlacementController placement;
    private final EventLog events;
    private final AuditLog audit;
    private final Clock clock;
    private final ControllerSettings settings;
    private final Instant monitoringFrom;

    public AgentSessions(
            Repositories store,
            AgentGateway agents,
            PlacementController placement,
            EventLog events,
            AuditLog audit,
            Clock clock,
            ControllerSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.placement = requireNonNull(placement, "placement is null");
        this.events = requireNonNull(events, "events is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.monitoringFrom = clock.instant().plus(settings.startupGracePeriod());
    }

    /** Registers (or re-registers) the host by name; the caller then sends {@link #desiredSet}. */
    public Host register(HostRegistration registration) {
        Host before = store.hosts().findByName(registration.name()).orElse(null);
        Host host = store.hosts().register(registration, settings.capacityDefaults(), clock.instant());
        return registered(before, host, null);
    }

    /**
     * Registers (or re-registers) the host with the id its agent's certificate names, for an agent at {@code source}
     * (its address, or null if unknown); CONFLICT, changing nothing, if the name belongs to another host or the id to
     * another name. The caller then sends {@link #desiredSet}.
     */
    public Host register(UUID hostId, HostRegistration registration, @Nullable String source) {
        Host before = store.hosts().find(hostId).orElse(null);
        Host host = store.hosts().register(hostId, registration, settings.capacityDefaults(), clock.instant());
        return registered(before, host, source);
    }

    /** The id of the host named {@code name}, if there is one. */
    public Optional<UUID> hostIdByName(String name) {
        return store.hosts().findByName(name).map(Host::id);
    }

    private Host registered(@Nullable Host before, Host host, @Nullable String source) {
        audit.record(AuditRecord.builder(
                        AuditRecord.Actor.host(host.id(), host.name()), "agent.register", AuditRecord.Outcome.OK)
                .target(HOST, host.id(), host.name())
                .source(source)
                .detail((before == null ? "registered: driver " : "registered again: driver ") + host.driver() + ", "
                        + host.capacity()));
        if (before == null) {
            events.host(host, "Registered", "driver " + host.driver() + ", " + host.capacity());
        } else {
            if (before.state() != host.state()) {
                events.host(host, "StateChanged", before.state() + " -> " + host.state());
            }
            if (!before.capacity().equals(host.capacity())) {
                events.host(host, "CapacityChanged", before.capacity() + " -> " + host.capacity());
            }
            if (!before.agentReservation().equals(host.agentReservation())) {
                events.host(
                        host,
                        "ReservationChanged",
                        "the agent reserves " + describe(host.agentReservation()) + " (was "
                                + describe(before.agentReservation()) + "); reserved in force: "
                                + host.capacityPolicy().reserved());
            }
        }
        placement.wake();
        return host;
    }

    /** What an agent reports reserving, class by class, for the event log. */
    static String describe(HostReservation reservation) {
        List<String> parts = new ArrayList<>();
        if (reservation.vcpus() != null) {
            parts.add("vcpus " + reservation.vcpus());
        }
        if (reservation.memoryMib() != null) {
            parts.add("memoryMib " + reservation.memoryMib());
        }
        if (reservation.diskGib() != null) {
            parts.add("diskGib " + reservation.diskGib());
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    /** Everything the host should run: every VM placed on it that is not yet DELETED. */
    public List<DesiredVm> desiredSet(UUID hostId) {
        return store.vms().listByHost(hostId).stream()
                .map(vm -> DesiredVms.of(vm, store.images()))
                .toList();
    }

    public void heartbeat(UUID hostId, HostUsage usage) {
        heartbeat(hostId, usage, List.of());
    }

    /**
     * Records the host's usage and the latest sample of each of its VMs (at most {@link #MAX_SAMPLES_PER_HEARTBEAT};
     * the rest are dropped). Samples of VMs not placed on the host are ignored by the store.
     */
    public void heartbeat(UUID hostId, HostUsage usage, List<VmStats> vmSamples) {
        heartbeats(Map.of(hostId, new Heartbeat(usage, vmSamples)));
    }

    /** A host's heartbeat: its usage and the latest samples of its VMs. */
    public record Heartbeat(HostUsage usage, List<VmStats> vmSamples) {
        public Heartbeat {
            requireNonNull(usage, "usage is null");
            vmSamples = List.copyOf(vmSamples);
        }
    }

    /**
     * Records many hosts' heartbeats, as {@link #heartbeat(UUID, HostUsage, List)} does one: the hosts' liveness in one
     * write, now, then the samples of each host's VMs.
     */
    public void heartbeats(Map<UUID, Heartbeat> heartbeats) {
        Instant now = clock.instant();
        Map<UUID, HostUsage> usages = new LinkedHashMap<>();
        heartbeats.forEach((hostId, heartbeat) -> usages.put(hostId, heartbeat.usage()));
        store.hosts().recordHeartbeats(usages, now);
        heartbeats.forEach((hostId, heartbeat) -> {
            List<VmStats> samples = heartbeat.vmSamples();
            if (!samples.isEmpty()) {
                List<VmStats> kept = samples.size() > MAX_SAMPLES_PER_HEARTBEAT
                        ? samples.subList(0, MAX_SAMPLES_PER_HEARTBEAT)
                        : samples;
                store.vmStats().record(hostId, kept, now);
            }
        });
    }

    /**
     * Records lease renewals of the hosts' fence guards (ADR 19); they are committed when this returns, and only then
     * may the caller acknowledge them.
     */
    public void renewLeases(java.util.Collection<UUID> hostIds) {
        store.hosts().recordLeaseRenewals(hostIds, clock.instant());
    }

    /**
     * Folds an agent's report into VM statuses. With {@code full}, the report lists every VM the agent has, so a VM
     * placed on the host and missing from it is absent there.
     *
     * @return false if the status of some VM could not be recorded (the store failed): the agent reports a change
     *     only once, so the caller must have it report everything again (it reconnects, and sends a full report)
     */
    public boolean report(UUID hostId, List<ObservedVm> observed, boolean full) {
        Map<UUID, ObservedVm> byVm = new HashMap<>();
        for (ObservedVm vm : observed) {
            byVm.put(vm.vmId(), vm);
        }
        if (full) {
            for (Vm vm : store.vms().listByHost(hostId)) {
                byVm.putIfAbsent(vm.id(), absent(vm));
            }
        }
        boolean recorded = true;
        for (ObservedVm vm : byVm.values()) {
            try {
                apply(hostId, vm);
            } catch (RuntimeException e) {
                log.warn("host {}: could not apply the report for vm {}", hostId, vm.vmId(), e);
                recorded = false;
            }
        }
        return recorded;
    }

    private static ObservedVm absent(Vm vm) {
        return new ObservedVm(vm.id(), ObservedPower.ABSENT, 0, 0, vm.epoch(), null, "");
    }

    private void apply(UUID hostId, ObservedVm observed) {
        for (int attempt = 0; attempt < settings.specRetries(); attempt++) {
            Vm vm = store.vms().find(observed.vmId()).orElse(null);
            if (vm == null
                    || !hostId.equals(vm.hostId())
                    || observed.epoch() < vm.epoch()
                    || vm.state() == VmState.DELETED) {
                return; // not ours to judge: unknown, placed elsewhere, from an older placement, or already gone
            }
            VmLifecycle.Status status = VmLifecycle.derive(vm, observed);
            if (status.state() == VmState.DELETED) {
                if (!store.claims().releaseAndMarkDeleted(vm.id(), hostId, vm.epoch(), clock.instant())) {
                    return; // migrating, or moved since it was read: its guest may run elsewhere
                }
                events.vm(vm, "Deleted", "resources released", null);
                agents.sendDesiredDelta(hostId, List.of(), List.of(vm.id()));
                return;
            }
            Instant startedAt = observed.power() == ObservedPower.RUNNING || observed.power() == ObservedPower.PAUSED
                    ? observed.startedAt()
                    : null;
            long observedGeneration = Math.min(observed.generation(), vm.generation());
            if (unchanged(vm, status, observedGeneration, startedAt)) {
                return;
            }
            if (store.vms()
                    .updateStatus(
                            vm.id(),
                            vm.generation(),
                            vm.epoch(),
                            status.state(),
                            status.reason(),
                            observedGeneration,
                            startedAt,
                            clock.instant())) {
                if (vm.state() != status.state()) {
                    events.vm(
                            vm,
                            "StateChanged",
                            vm.state() + " -> " + status.state()
                                    + (status.reason() == null ? "" : ": " + status.reason()),
                            null);
                }
                return;
            }
        }
    }

    private static boolean unchanged(
            Vm vm, VmLifecycle.Status status, long observedGeneration, @Nullable Instant startedAt) {
        return vm.state() == status.state()
                && Objects.equals(vm.stateReason(), status.reason())
                && vm.observedGeneration() == observedGeneration
                && Objects.equals(vm.startedAt(), startedAt);
    }

    /**
     * Marks UP hosts whose last heartbeat is older than the timeout DOWN; does nothing during the startup grace period.
     * Returns how many it marked.
     */
    public int markSilentHostsDown() {
        Instant now = clock.instant();
        if (now.isBefore(monitoringFrom)) {
            return 0;
        }
        Instant deadline = now.minus(settings.heartbeatTimeout());
        int marked = 0;
        for (Host host : store.hosts().list()) {
            Instant last = host.lastHeartbeatAt();
            if (host.state() == HostState.UP
                    && (last == null || last.isBefore(deadline))
                    && store.hosts().transition(host.id(), HostState.UP, HostState.DOWN)) {
                events.host(host, "StateChanged", "UP -> DOWN: no heartbeat since " + last);
                audit.system(
                        "host-monitor",
                        "system.markHostDown",
                        AuditRecord.Outcome.OK,
                        null,
                        AuditRecord.Target.of(HOST, host.id(), host.name()),
                        "no heartbeat since " + last,
                        null);
                marked++;
            }
        }
        return marked;
    }
}
