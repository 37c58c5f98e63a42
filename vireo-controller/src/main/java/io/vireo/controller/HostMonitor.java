package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.Repositories;
import io.vireo.model.AuditRecord;
import io.vireo.model.DesiredState;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Host leases and HA restarts (ADR 19). Each {@link #check} reads every host and its fence guard's lease age (on the
 * store's clock) and:
 *
 * <ul>
 *   <li>calls a guarded host SUSPECT once its lease is older than {@link HaSettings#suspectAfter}, and takes it back
 *       (UP, or DOWN if its agent is silent) when renewals arrive again;
 *   <li>calls a SUSPECT host FENCED once its lease is older than the fence deadline plus the margin — by then its
 *       guard has ended every instance on it — unless its agent still heartbeats (a host whose agent is heard is not
 *       isolated: its guard failed, and nothing is restarted), unless fencing is paused because more than {@link
 *       HaSettings#massSuspectShare} of the guarded hosts are SUSPECT together (the network or the control plane
 *       failed, not the hosts; their guards keep their VMs too), and never within a deadline and margin of this
 *       monitor's start or of the end of such a pause;
 *   <li>hands the VMs of FENCED hosts to placement, highest HA priority first, at most {@link
 *       HaSettings#restartsPerCheck} per check: {@code restart-from-image} VMs (and, once storage pools exist,
 *       {@code restart} VMs on shared storage) are unplaced and made PENDING through {@link
 *       io.vireo.controller.port.ClaimRepository#releaseForRestart} and placed by the one claim path; the others go
 *       to ERROR with the reason and stay with their host; a VM being deleted is released.
 * </ul>
 *
 * <p>Every write is conditional (a host's state on the state read, a VM's release on its host and epoch), so monitors
 * of several replicas may run at once. Not thread-safe: one thread (or event loop) calls {@link #check}.
 */
public final class HostMonitor {
    static final String AUDIT_NAME = "host-monitor";
    private static final String HOST = "host";

    private final Repositories store;
    private final EventLog events;
    private final AuditLog audit;
    private final Clock clock;
    private final ControllerSettings settings;
    private final HaSettings ha;
    /** No host is fenced before this: the lease period after this monitor started, or after a mass-suspect pause. */
    private Instant fencingFrom;

    private boolean paused;
    private final PlantedBugs bugs;

    /**
     * Bugs the simulator plants to prove its invariants catch them; the product never does (a layering rule).
     *
     * @param fencesAtSuspect a host is fenced as soon as it is SUSPECT, without waiting for its guard's deadline
     */
    public record PlantedBugs(boolean fencesAtSuspect) {
        public static final PlantedBugs NONE = new PlantedBugs(false);
    }

    public HostMonitor(Repositories store, EventLog events, AuditLog audit, Clock clock, ControllerSettings settings) {
        this(store, events, audit, clock, settings, PlantedBugs.NONE);
    }

    /** A monitor with a planted bug: for the simulator's mutation runs only. */
    public HostMonitor(
            Repositories store,
            EventLog events,
            AuditLog audit,
            Clock clock,
            ControllerSettings settings,
            PlantedBugs bugs) {
        this.bugs = requireNonNull(bugs, "bugs is null");
        this.store = requireNonNull(store, "store is null");
        this.events = requireNonNull(events, "events is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.ha = settings.ha();
        this.fencingFrom = clock.instant().plus(ha.fenceAfter());
    }

    /**
     * What one check did, for tests and the simulator's trace; {@code guarded} is how many hosts it counted as guarded
     * (a lease, not FENCED) before fencing any: the denominator of the mass-SUSPECT share, which the server also tells
     * the fence guards (ADR 22).
     */
    public record Outcome(int suspected, int fenced, int restarted, int left, boolean paused, int guarded) {}

    /** One pass over every host; see the class comment. */
    public Outcome check() {
        Instant now = clock.instant();
        Map<java.util.UUID, Duration> leases = store.hosts().leaseAges(now);
        List<Host> hosts = store.hosts().list();
        int suspected = 0;
        int guarded = 0;
        int suspect = 0;
        for (Host host : hosts) {
            Duration age = leases.get(host.id());
            if (age == null || host.state() == HostState.FENCED) {
                continue;
            }
            guarded++;
            boolean lapsed = age.compareTo(ha.suspectAfter()) > 0;
            if (lapsed && host.state() != HostState.SUSPECT) {
                if (store.hosts().transition(host.id(), host.state(), HostState.SUSPECT)) {
                    hostChanged(host, HostState.SUSPECT, "no lease renewal for " + age.toMillis() + " ms");
                    suspected++;
                    suspect++;
                }
            } else if (!lapsed && host.state() == HostState.SUSPECT) {
                HostState back = agentSilent(host, now) ? HostState.DOWN : HostState.UP;
                if (store.hosts().transition(host.id(), HostState.SUSPECT, back)) {
                    hostChanged(host, back, "its lease is renewed again");
                }
            } else if (lapsed) {
                suspect++;
            }
        }
        boolean mass = guarded > 0 && suspect > ha.massSuspectShare() * guarded;
        if (mass != paused) {
            paused = mass;
            pauseChanged(mass, suspect, guarded);
            if (!mass) {
                fencingFrom = later(fencingFrom, now.plus(ha.fenceAfter()));
            }
        }
        int fenced = 0;
        if (!paused && !now.isBefore(fencingFrom)) {
            for (Host host : hosts) {
                Duration age = leases.get(host.id());
                Duration fenceAfter = bugs.fencesAtSuspect() ? ha.suspectAfter() : ha.fenceAfter();
                if (age != null && age.compareTo(fenceAfter) > 0 && agentSilent(host, now)) {
                    Host current = store.hosts().find(host.id()).orElse(null);
                    if (current != null
                            && current.state() == HostState.SUSPECT
                            && store.hosts().transition(host.id(), HostState.SUSPECT, HostState.FENCED)) {
                        hostChanged(
                                current,
                                HostState.FENCED,
                                "no lease renewal for " + age.toMillis() + " ms (deadline "
                                        + ha.fenceDeadline().toMillis() + " ms + margin "
                                        + ha.fenceMargin().toMillis() + " ms): its guard has ended its instances");
                        fenced++;
                    }
                }
            }
        }
        int[] restartedAndLeft = restartVmsOfFencedHosts(now);
        return new Outcome(suspected, fenced, restartedAndLeft[0], restartedAndLeft[1], paused, guarded);
    }

    /** The VMs of FENCED hosts, highest priority first, at most a check's worth: restarted, released or left. */
    private int[] restartVmsOfFencedHosts(Instant now) {
        List<Vm> candidates = new ArrayList<>();
        for (Host host : store.hosts().list()) {
            if (host.state() == HostState.FENCED) {
                for (Vm vm : store.vms().listByHost(host.id())) {
                    if (needsAction(vm)) {
                        candidates.add(vm);
                    }
                }
            }
        }
        candidates.sort(Comparator.comparingInt((Vm vm) -> -vm.ha().priority())
                .thenComparing(Vm::createdAt)
                .thenComparing(vm -> vm.id().toString()));
        int restarted = 0;
        int left = 0;
        for (Vm vm : candidates.subList(0, Math.min(candidates.size(), ha.restartsPerCheck()))) {
            java.util.UUID hostId = requireNonNull(vm.hostId(), "a VM listed by host has one");
            String correlationId = "fence-" + hostId;
            if (vm.desiredState() == DesiredState.DELETED) {
                if (store.claims().releaseAndMarkDeleted(vm.id(), now)) {
                    events.vm(vm, "Deleted", "resources released: its host was fenced", correlationId);
                }
                continue;
            }
            if (restartable(vm)) {
                String reason = "restarting elsewhere: host " + hostId + " was fenced"
                        + (vm.ha().mode() == HaPolicy.Mode.RESTART_FROM_IMAGE
                                ? "; its disks were on that host, so it starts again from its image (their data is lost)"
                                : "");
                if (store.claims().releaseForRestart(vm.id(), hostId, vm.epoch(), reason, now)) {
                    events.vm(vm, "HaRestart", reason, correlationId);
                    audit.system(
                            AUDIT_NAME,
                            "system.haRestart",
                            AuditRecord.Outcome.OK,
                            vm.projectId(),
                            AuditRecord.Target.of("vm", vm.id(), vm.name()),
                            reason,
                            correlationId);
                    restarted++;
                }
            } else {
                String reason = lostReason(vm, hostId);
                if (store.vms()
                        .updateStatus(
                                vm.id(),
                                vm.generation(),
                                vm.epoch(),
                                VmState.ERROR,
                                reason,
                                vm.observedGeneration(),
                                null,
                                now)) {
                    events.vm(vm, "HostLost", reason, correlationId);
                    left++;
                }
            }
        }
        return new int[] {restarted, left};
    }

    /** A VM of a fenced host that this monitor has not dealt with yet. */
    private static boolean needsAction(Vm vm) {
        if (vm.state() == VmState.DELETED) {
            return false;
        }
        return vm.desiredState() == DesiredState.DELETED
                || restartable(vm)
                || vm.state() != VmState.ERROR
                || vm.stateReason() == null
                || !vm.stateReason().startsWith(LOST_PREFIX);
    }

    private static final String LOST_PREFIX = "its host was fenced";

    /**
     * Whether the VM may run elsewhere without its old disks. Every disk is local to its host today, so only {@code
     * restart-from-image} VMs restart; {@code restart} needs shared storage.
     */
    private static boolean restartable(Vm vm) {
        return vm.ha().mode() == HaPolicy.Mode.RESTART_FROM_IMAGE;
    }

    private static String lostReason(Vm vm, java.util.UUID hostId) {
        return LOST_PREFIX + " (" + hostId + ") and "
                + (vm.ha().mode() == HaPolicy.Mode.NONE
                        ? "its HA policy is none"
                        : "its disks are on that host (HA policy restart needs shared storage; restart-from-image"
                                + " would start it from its image)")
                + ": it waits for its host to come back";
    }

    private boolean agentSilent(Host host, Instant now) {
        Instant last = host.lastHeartbeatAt();
        return last == null || last.isBefore(now.minus(settings.heartbeatTimeout()));
    }

    private void hostChanged(Host host, HostState next, String why) {
        String detail = host.state() + " -> " + next + ": " + why;
        events.host(host, "StateChanged", detail);
        audit.system(
                AUDIT_NAME,
                "system.host" + next.name().charAt(0) + next.name().substring(1).toLowerCase(java.util.Locale.ROOT),
                AuditRecord.Outcome.OK,
                null,
                AuditRecord.Target.of(HOST, host.id(), host.name()),
                detail,
                null);
    }

    private void pauseChanged(boolean pause, int suspect, int guarded) {
        String detail = pause
                ? "fencing paused: " + suspect + " of " + guarded
                        + " guarded hosts are SUSPECT at once (more than " + Math.round(ha.massSuspectShare() * 100)
                        + "%): a network or control-plane failure, not host failures; no host is fenced"
                : "fencing resumes after a deadline and margin: " + suspect + " of " + guarded
                        + " guarded hosts are SUSPECT";
        audit.system(
                AUDIT_NAME,
                pause ? "system.fencingPaused" : "system.fencingResumed",
                AuditRecord.Outcome.OK,
                null,
                AuditRecord.Target.of("cluster", null, "hosts"),
                detail,
                null);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Whether fencing is paused by a mass SUSPECT (for tests and the simulator). */
    public boolean paused() {
        return paused;
    }

    @Nullable
    Instant fencingFrom() {
        return fencingFrom;
    }
}
