package io.vireo.server.metrics;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmRepository;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's figures, read from the store when Prometheus scrapes (so every replica reports the same, and nothing
 * is kept between scrapes): VMs by state; per host its capacity, what claims may use, what is allocated, what its agent
 * measured, its heartbeat's age and its VMs by state, labelled by {@code host_id} only, with the host's name on
 * {@code vireo_host_info}; how far reconciliation is behind; and how long the VM longest in a transitional state has been
 * in it (for the stuck-VM alert, ADR 24). Five queries per scrape; scrapes closer together than
 * {@link #REUSE_WITHIN} share one reading, so that many scrapers cannot load the store. Thread-safe.
 */
public final class ClusterCollector implements MultiCollector {
    /** Scrapes this close to the last reading reuse it. */
    public static final Duration REUSE_WITHIN = Duration.ofSeconds(1);

    static final String HOST_ID = "host_id";
    private static final Logger log = LoggerFactory.getLogger(ClusterCollector.class);
    private static final double MIB = 1024.0 * 1024;
    private static final double GIB = MIB * 1024;

    private final Repositories store;
    private final Clock clock;
    private @Nullable MetricSnapshots last;
    private Instant lastAt = Instant.MIN;

    public ClusterCollector(Repositories store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized MetricSnapshots collect() {
        Instant now = clock.instant();
        MetricSnapshots reading = last;
        if (reading != null && Duration.between(lastAt, now).compareTo(REUSE_WITHIN) < 0) {
            return reading;
        }
        try {
            reading = read(now);
        } catch (RuntimeException e) {
            // the store is unreachable: say so, and leave the cluster's series out rather than show stale ones
            log.warn("cannot read the cluster's metrics from the store: {}", e.toString());
            return new MetricSnapshots(readable(false));
        }
        last = reading;
        lastAt = now;
        return reading;
    }

    private static GaugeSnapshot readable(boolean readable) {
        return gauge("vireo_cluster_metrics_readable", "1 if the cluster's figures were read from the store, else 0")
                .dataPoint(point(Labels.EMPTY, readable ? 1 : 0))
                .build();
    }

    private MetricSnapshots read(Instant now) {
        List<Host> hosts = store.hosts().list();
        Map<VmState, Long> vms = store.vms().countByState();
        Map<UUID, Map<VmState, Long>> vmsByHost = store.vms().countByHostAndState();
        VmRepository.ReconcileBacklog backlog = store.vms().reconcileBacklog();
        List<Vm> longestUnsettled = store.vms().listUnsettled(now, 1);
        List<MetricSnapshot> families = new ArrayList<>();
        families.add(readable(true));
        families.add(vmsByState(vms));
        families.add(hostsByState(hosts));
        families.addAll(hostFigures(hosts, now));
        families.add(hostVms(vmsByHost));
        families.add(gauge("vireo_reconcile_backlog_vms", "Live VMs whose desired state no agent has reached yet")
                .dataPoint(point(Labels.EMPTY, backlog.vms()))
                .build());
        Instant oldest = backlog.oldestChangeAt();
        families.add(gauge(
                        "vireo_reconcile_lag_seconds",
                        "Time since the oldest unreconciled VM last changed (0 when every VM is reconciled)")
                .dataPoint(point(
                        Labels.EMPTY,
                        oldest == null
                                ? 0
                                : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0)))
                .build());
        families.add(gauge(
                        "vireo_vm_transitional_oldest_age_seconds",
                        "Time since the VM longest in a transitional state (PENDING, SCHEDULED, STARTING, STOPPING,"
                                + " REBOOTING, DELETING) last changed; 0 when no VM is in one")
                .dataPoint(point(
                        Labels.EMPTY,
                        longestUnsettled.isEmpty()
                                ? 0
                                : Math.max(
                                        0,
                                        Duration.between(
                                                                longestUnsettled
                                                                        .getFirst()
                                                                        .updatedAt(),
                                                                now)
                                                        .toMillis()
                                                / 1000.0)))
                .build());
        return new MetricSnapshots(families);
    }

    private static GaugeSnapshot vmsByState(Map<VmState, Long> counts) {
        GaugeSnapshot.Builder family = gauge("vireo_vms", "Live VMs of every project, by state");
        for (VmState state : VmState.values()) {
            if (state != VmState.DELETED) {
                family.dataPoint(point(Labels.of("state", label(state)), counts.getOrDefault(state, 0L)));
            }
        }
        return family.build();
    }

    private static GaugeSnapshot hostsByState(List<Host> hosts) {
        Map<HostState, Long> counts = new EnumMap<>(HostState.class);
        hosts.forEach(host -> counts.merge(host.state(), 1L, Long::sum));
        GaugeSnapshot.Builder family = gauge("vireo_hosts", "Registered hosts, by state");
        for (HostState state : HostState.values()) {
            family.dataPoint(point(Labels.of("state", label(state)), counts.getOrDefault(state, 0L)));
        }
        return family.build();
    }

    private static List<MetricSnapshot> hostFigures(List<Host> hosts, Instant now) {
        List<MetricSnapshot> families = new ArrayList<>();
        GaugeSnapshot.Builder info =
                gauge("vireo_host_info", "1 for each host: its name and driver (series are labelled by host_id only)");
        GaugeSnapshot.Builder state = gauge("vireo_host_state", "1 for each host's current state");
        GaugeSnapshot.Builder heartbeat =
                gauge("vireo_host_heartbeat_age_seconds", "Time since the server recorded the host's last heartbeat");
        for (Host host : hosts) {
            String id = host.id().toString();
            info.dataPoint(point(Labels.of(HOST_ID, id, "host_name", host.name(), "driver", host.driver()), 1));
            state.dataPoint(point(Labels.of(HOST_ID, id, "state", label(host.state())), 1));
            Instant last = host.lastHeartbeatAt();
            if (last != null) {
                heartbeat.dataPoint(point(
                        Labels.of(HOST_ID, id),
                        Math.max(0, Duration.between(last, now).toMillis() / 1000.0)));
            }
        }
        families.add(info.build());
        families.add(state.build());
        families.add(heartbeat.build());
        families.addAll(resources("vireo_host_capacity", "reported by its agent (the total)", hosts, Host::capacity));
        families.addAll(resources(
                "vireo_host_allocatable",
                "claims may add up to (the total less reservations, times allocation ratios)",
                hosts,
                Host::effectiveCapacity));
        families.addAll(resources("vireo_host_allocated", "claimed by the VMs placed there", hosts, Host::allocated));
        families.add(perHost(
                "vireo_host_cpu_usage_ratio",
                "CPU busy on the host, 0-1, as its agent last measured",
                hosts,
                host -> host.usage().cpuPercent() / 100));
        families.add(perHost(
                "vireo_host_memory_used_bytes",
                "Memory in use on the host, as its agent last measured",
                hosts,
                host -> host.usage().memoryUsedMib() * MIB));
        families.add(perHost(
                "vireo_host_disk_used_bytes",
                "Disk in use on the host, as its agent last measured",
                hosts,
                host -> host.usage().diskUsedGib() * GIB));
        return families;
    }

    private static List<MetricSnapshot> resources(
            String prefix, String what, List<Host> hosts, java.util.function.Function<Host, Resources> of) {
        return List.of(
                perHost(
                        prefix + "_vcpus",
                        "vCPUs " + what,
                        hosts,
                        host -> of.apply(host).vcpus()),
                perHost(
                        prefix + "_memory_bytes",
                        "Memory " + what,
                        hosts,
                        host -> of.apply(host).memoryMib() * MIB),
                perHost(
                        prefix + "_disk_bytes",
                        "Disk " + what,
                        hosts,
                        host -> of.apply(host).diskGib() * GIB));
    }

    private static GaugeSnapshot perHost(String name, String help, List<Host> hosts, ToDoubleFunction<Host> value) {
        GaugeSnapshot.Builder family = gauge(name, help);
        hosts.forEach(
                host -> family.dataPoint(point(Labels.of(HOST_ID, host.id().toString()), value.applyAsDouble(host))));
        return family.build();
    }

    private static GaugeSnapshot hostVms(Map<UUID, Map<VmState, Long>> vmsByHost) {
        GaugeSnapshot.Builder family =
                gauge("vireo_host_vms", "Live VMs placed on each host, by state (states with none are left out)");
        vmsByHost.forEach((hostId, counts) -> counts.forEach((state, count) ->
                family.dataPoint(point(Labels.of(HOST_ID, hostId.toString(), "state", label(state)), count))));
        return family.build();
    }

    /** A state as the API writes it ({@code RUNNING}), so that a query and {@code vireo vm list} read alike. */
    static String label(Enum<?> state) {
        return state.name();
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
