package io.vireo.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.model.VmStats;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VmMetricsCollectorTest {
    private static final UUID MEASURED = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID UNPLUGGED = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    private final AtomicReference<List<VmStats>> samples = new AtomicReference<>(List.of(
            new VmStats(
                    MEASURED,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    new VmStats.Cpu(25.0, 12_500, 2),
                    new VmStats.Memory(300L << 20, 512L << 20, 500L << 20, 200L << 20),
                    new VmStats.Disk(4096, 8192, 3, 5),
                    new VmStats.Network(1000, 2000),
                    false),
            new VmStats(
                    UNPLUGGED,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    new VmStats.Cpu(null, 0, 1),
                    new VmStats.Memory(100L << 20, 128L << 20, null, null),
                    VmStats.Disk.NONE,
                    null,
                    true)));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    VmMetricsCollectorTest() {
        registry.getPrometheusRegistry().register(new VmMetricsCollector(samples::get));
    }

    private String scrape() {
        return registry.scrape(MetricsExposition.TEXT);
    }

    @Test
    void countersAreCountersInBaseUnitsLabelledByVmIdOnly() {
        String text = scrape();

        assertThat(text)
                .contains("# TYPE vireo_vm_cpu_seconds_total counter")
                .contains("vireo_vm_cpu_seconds_total{vm_id=\"" + MEASURED + "\"} 12.5")
                .contains("# TYPE vireo_vm_disk_read_bytes_total counter")
                .contains("vireo_vm_disk_read_bytes_total{vm_id=\"" + MEASURED + "\"} 4096")
                .contains("vireo_vm_disk_written_bytes_total{vm_id=\"" + MEASURED + "\"} 8192")
                .contains("vireo_vm_disk_read_operations_total{vm_id=\"" + MEASURED + "\"} 3")
                .contains("vireo_vm_disk_write_operations_total{vm_id=\"" + MEASURED + "\"} 5")
                .contains("vireo_vm_network_receive_bytes_total{vm_id=\"" + MEASURED + "\"} 1000")
                .contains("vireo_vm_network_transmit_bytes_total{vm_id=\"" + MEASURED + "\"} 2000")
                .contains("# TYPE vireo_vm_memory_resident_bytes gauge")
                .contains("vireo_vm_memory_resident_bytes{vm_id=\"" + MEASURED + "\"} 3.145728E8")
                .contains("vireo_vm_vcpus{vm_id=\"" + UNPLUGGED + "\"} 1")
                .contains("vireo_agent_vms_sampled 2");
        text.lines()
                .filter(line -> line.startsWith("vireo_vm_"))
                .forEach(line -> assertThat(line).matches("vireo_vm_[a-z_]+\\{vm_id=\"[0-9a-f-]{36}\"} .+"));
    }

    @Test
    void whatCouldNotBeMeasuredIsLeftOutNotZero() {
        String text = scrape();

        assertThat(text)
                .doesNotContain("vireo_vm_network_receive_bytes_total{vm_id=\"" + UNPLUGGED)
                .doesNotContain("vireo_vm_memory_guest_available_bytes{vm_id=\"" + UNPLUGGED)
                .contains("vireo_vm_memory_guest_available_bytes{vm_id=\"" + MEASURED + "\"} 2.097152E8");
    }

    @Test
    void aVmGoneFromTheSamplesIsGoneFromTheNextScrape() {
        samples.set(samples.get().subList(0, 1));

        assertThat(scrape()).doesNotContain(UNPLUGGED.toString()).contains("vireo_agent_vms_sampled 1");
    }

    @Test
    void openMetricsIsServedWhenAsked() {
        MetricsExposition exposition = new MetricsExposition(registry);

        assertThat(exposition.scrape("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .satisfies(scrape -> {
                    assertThat(scrape.contentType()).isEqualTo(MetricsExposition.OPENMETRICS);
                    assertThat(scrape.text()).endsWith("# EOF\n");
                });
        assertThat(exposition.scrape(null).contentType()).isEqualTo(MetricsExposition.TEXT);
        assertThat(exposition.scrape("text/plain").contentType()).isEqualTo(MetricsExposition.TEXT);
    }
}
