package io.vireo.agent.metrics;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vireo.model.VmStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The per-VM series of an agent's {@code /metrics}, built at each scrape from the latest samples (the ones the
 * heartbeat carries, ADR 6): cumulative counters stay counters ({@code _total}, reset when the guest process
 * restarts, which Prometheus's {@code rate()} handles), sizes are gauges. Each series is labelled by {@code vm_id} only:
 * names can be reused and are not the agent's to know; the host is the target's own label. A value the driver cannot
 * measure is left out, never written as zero. Thread-safe: it reads an immutable list.
 */
public final class VmMetricsCollector implements MultiCollector {
    static final String VM_ID = "vm_id";

    private final Supplier<List<VmStats>> samples;

    public VmMetricsCollector(Supplier<List<VmStats>> samples) {
        this.samples = requireNonNull(samples, "samples is null");
    }

    @Override
    public MetricSnapshots collect() {
        List<VmStats> latest = samples.get();
        List<MetricSnapshot> families = new ArrayList<>();
        families.add(counter(
                "vireo_vm_cpu_seconds",
                "CPU time of the VM's vCPU threads, user plus system",
                latest,
                stats -> stats.cpu().timeMillis() / 1000.0));
        families.add(gauge("vireo_vm_vcpus", "vCPUs of the VM", latest, stats ->
                (double) stats.cpu().vcpus()));
        families.add(gauge(
                "vireo_vm_memory_resident_bytes",
                "Resident memory of the VM's hypervisor process (what the VM costs the host)",
                latest,
                stats -> (double) stats.memory().residentBytes()));
        families.add(gauge("vireo_vm_memory_guest_bytes", "Memory the guest has (the balloon's size)", latest, stats ->
                (double) stats.memory().guestBytes()));
        families.add(gauge(
                "vireo_vm_memory_guest_available_bytes",
                "Memory available inside the guest, as its balloon driver reports it",
                latest,
                stats -> toDouble(stats.memory().guestAvailableBytes())));
        families.add(counter("vireo_vm_disk_read_bytes", "Bytes read from the VM's disks", latest, stats ->
                (double) stats.disk().readBytes()));
        families.add(counter("vireo_vm_disk_written_bytes", "Bytes written to the VM's disks", latest, stats ->
                (double) stats.disk().writtenBytes()));
        families.add(counter("vireo_vm_disk_read_operations", "Read operations on the VM's disks", latest, stats ->
                (double) stats.disk().readOperations()));
        families.add(counter("vireo_vm_disk_write_operations", "Write operations on the VM's disks", latest, stats ->
                (double) stats.disk().writeOperations()));
        families.add(counter(
                "vireo_vm_network_receive_bytes",
                "Bytes the VM received through its network interface",
                latest,
                stats -> stats.network() == null
                        ? null
                        : (double) stats.network().receivedBytes()));
        families.add(counter(
                "vireo_vm_network_transmit_bytes",
                "Bytes the VM sent through its network interface",
                latest,
                stats -> stats.network() == null
                        ? null
                        : (double) stats.network().transmittedBytes()));
        families.add(GaugeSnapshot.builder()
                .name("vireo_agent_vms_sampled")
                .help("VMs whose guest process the agent sampled last")
                .dataPoint(GaugeDataPointSnapshot.builder().value(latest.size()).build())
                .build());
        return new MetricSnapshots(families);
    }

    private static @Nullable Double toDouble(@Nullable Long value) {
        return value == null ? null : value.doubleValue();
    }

    private static Labels labels(VmStats stats) {
        return Labels.of(VM_ID, stats.vmId().toString());
    }

    private static CounterSnapshot counter(
            String name, String help, List<VmStats> latest, Function<VmStats, @Nullable Double> value) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        for (VmStats stats : latest) {
            Double v = value.apply(stats);
            if (v != null) {
                family.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(labels(stats))
                        .value(v)
                        .build());
            }
        }
        return family.build();
    }

    private static GaugeSnapshot gauge(
            String name, String help, List<VmStats> latest, Function<VmStats, @Nullable Double> value) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        for (VmStats stats : latest) {
            Double v = value.apply(stats);
            if (v != null) {
                family.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(labels(stats))
                        .value(v)
                        .build());
            }
        }
        return family.build();
    }
}
