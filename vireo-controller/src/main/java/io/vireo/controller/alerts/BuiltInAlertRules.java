package io.vireo.controller.alerts;

import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The rules every server evaluates (ADR 24), the same as {@code docs/prometheus/vireo-alerts.yml} over the server's
 * metrics: a host down or fenced, a VM stuck in a transitional state, the cluster's capacity per resource, live
 * migrations failing, and the always-firing watchdog. A crash-looping VM has no rule: nothing records a guest's
 * crashes or restarts yet (the agents report power state, not exits).
 */
public final class BuiltInAlertRules {
    public static final String HOST_DOWN = "VireoHostDown";
    public static final String VM_STUCK = "VireoVmStuck";
    public static final String CAPACITY_HIGH = "VireoCapacityHigh";
    public static final String MIGRATIONS_FAILING = "VireoMigrationsFailing";
    public static final String WATCHDOG = "Watchdog";

    private static final Set<HostState> DOWN = EnumSet.of(HostState.DOWN, HostState.SUSPECT, HostState.FENCED);

    private BuiltInAlertRules() {}

    /** Every built-in rule, with the thresholds of {@code settings}. */
    public static List<AlertRule> of(AlertSettings settings) {
        return List.of(
                hostDown(settings.hostDownFor()),
                vmStuck(settings.stuckAfter()),
                capacityHigh(settings.capacityRatio(), settings.capacityFor()),
                migrationsFailing(settings.migrationFailureWindow()),
                watchdog());
    }

    static AlertRule hostDown(Duration forDuration) {
        return new AlertRule(
                HOST_DOWN,
                AlertSeverity.CRITICAL,
                forDuration,
                "A host is down or fenced",
                "host state is DOWN, SUSPECT or FENCED",
                inputs -> inputs.hosts().stream()
                        .filter(host -> DOWN.contains(host.state()))
                        .map(host -> new AlertCandidate(
                                Map.of("host_id", host.id().toString(), "host", host.name()),
                                Map.of(
                                        "description",
                                        "Host " + host.name() + " is " + host.state()
                                                + ": its agent or its fence guard has gone silent")))
                        .toList());
    }

    static AlertRule vmStuck(Duration stuckAfter) {
        return new AlertRule(
                VM_STUCK,
                AlertSeverity.WARNING,
                Duration.ZERO,
                "A VM is stuck in a transitional state",
                "VM state is PENDING, SCHEDULED, STARTING, STOPPING, REBOOTING or DELETING, unchanged for "
                        + stuckAfter.toMinutes() + " minutes",
                inputs ->
                        inputs.stuckVms().stream().map(BuiltInAlertRules::stuck).toList());
    }

    private static AlertCandidate stuck(Vm vm) {
        return new AlertCandidate(
                Map.of("vm_id", vm.id().toString(), "project_id", vm.projectId().toString()),
                Map.of(
                        "description",
                        "VM " + vm.id() + " has been " + vm.state() + " since " + vm.updatedAt()
                                + (vm.hostId() == null ? "" : " on host " + vm.hostId())));
    }

    static AlertRule capacityHigh(double ratio, Duration forDuration) {
        String percent = Math.round(ratio * 100) + "%";
        return new AlertRule(
                CAPACITY_HIGH,
                AlertSeverity.WARNING,
                forDuration,
                "The cluster's allocation is above " + percent + " of a resource",
                "sum of allocated / sum of allocatable over every host > " + ratio + ", per resource",
                inputs -> {
                    List<AlertCandidate> high = new ArrayList<>();
                    high(inputs.hosts(), "vcpus", Resources::vcpus, ratio).ifPresent(high::add);
                    high(inputs.hosts(), "memory", Resources::memoryMib, ratio).ifPresent(high::add);
                    high(inputs.hosts(), "disk", Resources::diskGib, ratio).ifPresent(high::add);
                    return high;
                });
    }

    private static java.util.Optional<AlertCandidate> high(
            List<Host> hosts, String resource, ToDoubleFunction<Resources> amount, double ratio) {
        double allocatable = 0;
        double allocated = 0;
        for (Host host : hosts) {
            allocatable += amount.applyAsDouble(host.effectiveCapacity());
            allocated += amount.applyAsDouble(host.allocated());
        }
        if (allocatable <= 0 || allocated / allocatable <= ratio) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new AlertCandidate(
                Map.of("resource", resource),
                Map.of(
                        "description",
                        String.format(
                                Locale.ROOT,
                                "%.1f%% of the cluster's allocatable %s is allocated",
                                100 * allocated / allocatable,
                                resource))));
    }

    static AlertRule migrationsFailing(Duration window) {
        return new AlertRule(
                MIGRATIONS_FAILING,
                AlertSeverity.WARNING,
                Duration.ZERO,
                "Live migrations are failing",
                "a migration FAILED within the last " + window.toMinutes() + " minutes",
                inputs -> {
                    List<Migration> failed = inputs.failedMigrations();
                    if (failed.isEmpty()) {
                        return List.of();
                    }
                    Migration latest = failed.getFirst();
                    return List.of(new AlertCandidate(
                            Map.of(),
                            Map.of(
                                    "description",
                                    failed.size() + " live migration(s) failed within " + window.toMinutes()
                                            + " minutes; the latest, of VM " + latest.vmId() + ": "
                                            + latest.error())));
                });
    }

    static AlertRule watchdog() {
        return new AlertRule(
                WATCHDOG,
                AlertSeverity.NONE,
                Duration.ZERO,
                "Always firing: the alerting path from Vireo works",
                "always",
                inputs -> List.of(new AlertCandidate(
                        Map.of(),
                        Map.of(
                                "description",
                                "This alert always fires while Vireo evaluates its rules; route it to a dead man's"
                                        + " switch, which pages when it stops arriving"))));
    }
}
