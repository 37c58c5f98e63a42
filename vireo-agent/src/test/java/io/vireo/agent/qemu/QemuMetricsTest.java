package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parsers behind {@link VmMetrics}, on text and JSON as Linux and QEMU 7.2 produce them. */
class QemuMetricsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void cpuTimeIsUserPlusSystemTicks() {
        String stat = "4242 (qemu-system-x86) S 1 4240 4240 0 -1 4194560 50000 0 12 0 1234 566 0 0 20 0 5 0 1000 "
                + "1234567 54000 18446744073709551615";

        assertThat(QemuMetrics.cpuTime(stat)).isEqualTo(Duration.ofMillis(18_000));
    }

    @Test
    void aThreadNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "4250 (CPU 0/TCG (x)) R 1 4240 4240 0 -1 4194560 10 0 0 0 300 100 0 0 20 0 5 0 1000 1 1 1";

        assertThat(QemuMetrics.cpuTime(stat)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void residentMemoryComesFromVmRss() {
        String status = "Name:\tqemu-system-x86\nVmPeak:\t  900000 kB\nVmRSS:\t  217000 kB\nThreads:\t5\n";

        assertThat(QemuMetrics.residentBytes(status)).isEqualTo(217_000L * 1024);
        assertThat(QemuMetrics.residentBytes("Name:\tzombie\n")).isZero();
    }

    @Test
    void vcpuThreadsAreOrderedByIndex() throws IOException {
        String cpus = "[{\"thread-id\": 12, \"cpu-index\": 1, \"props\": {}, \"target\": \"x86_64\"},"
                + " {\"thread-id\": 11, \"cpu-index\": 0, \"props\": {}, \"target\": \"x86_64\"}]";

        assertThat(QemuMetrics.vcpuThreadIds(mapper.readTree(cpus))).containsExactly(11L, 12L);
    }

    @Test
    void blockStatsNameDevicesByDriveOrQdev() throws IOException {
        String stats = "[{\"device\": \"disk0\", \"stats\": {\"rd_bytes\": 4096, \"wr_bytes\": 512,"
                + " \"rd_operations\": 8, \"wr_operations\": 1}},"
                + " {\"device\": \"\", \"qdev\": \"/machine/peripheral-anon/device[1]/virtio-backend\","
                + " \"stats\": {\"rd_bytes\": 0, \"wr_bytes\": 0, \"rd_operations\": 0, \"wr_operations\": 0}}]";

        assertThat(QemuMetrics.disks(mapper.readTree(stats)))
                .containsExactly(
                        new VmMetrics.Disk("disk0", 4096, 512, 8, 1),
                        new VmMetrics.Disk("/machine/peripheral-anon/device[1]/virtio-backend", 0, 0, 0, 0));
    }

    @Test
    void guestMemoryIsAvailableOnlyOnceTheGuestHasReportedIt() throws IOException {
        String reported = "{\"stats\": {\"stat-total-memory\": 121634816, \"stat-available-memory\": 90000000,"
                + " \"stat-free-memory\": -1}, \"last-update\": 1764237600}";
        String never = "{\"stats\": {\"stat-total-memory\": -1}, \"last-update\": 0}";

        assertThat(QemuMetrics.guestStatistic(mapper.readTree(reported), "stat-total-memory"))
                .isEqualTo(121_634_816L);
        assertThat(QemuMetrics.guestStatistic(mapper.readTree(reported), "stat-available-memory"))
                .isEqualTo(90_000_000L);
        assertThat(QemuMetrics.guestStatistic(mapper.readTree(reported), "stat-free-memory"))
                .isNull();
        assertThat(QemuMetrics.guestStatistic(mapper.readTree(never), "stat-total-memory"))
                .isNull();
        assertThat(QemuMetrics.guestStatistic(mapper.missingNode(), "stat-total-memory"))
                .isNull();
    }

    @Test
    void theDriverSampleSumsVcpuTimeAndDisksAndHasNoNetworkWhenTheNicIsUnplugged() {
        io.vireo.model.VmStats stats = metrics(null).toStats();

        assertThat(stats.cpu().timeMillis()).isEqualTo(2000);
        assertThat(stats.cpu().vcpus()).isEqualTo(2);
        assertThat(stats.cpu().percent()).isNull();
        assertThat(stats.disk()).isEqualTo(new io.vireo.model.VmStats.Disk(4196, 512, 9, 1));
        assertThat(stats.network()).isNull();
        assertThat(stats.synthetic()).isFalse();
    }

    @Test
    void theDriverSampleCarriesThePluggedNicsCounters() {
        io.vireo.model.VmStats.Network network = new io.vireo.model.VmStats.Network(1778, 956);

        assertThat(metrics(network).toStats().network()).isEqualTo(network);
    }

    private static VmMetrics metrics(io.vireo.model.VmStats.@org.jspecify.annotations.Nullable Network network) {
        return new VmMetrics(
                java.util.UUID.randomUUID(),
                java.time.Instant.EPOCH,
                Duration.ofSeconds(10),
                java.util.List.of(Duration.ofMillis(1500), Duration.ofMillis(500)),
                200L << 20,
                128L << 20,
                java.util.List.of(
                        new VmMetrics.Disk("disk0", 4096, 512, 8, 1), new VmMetrics.Disk("seed0", 100, 0, 1, 0)),
                null,
                null,
                network);
    }
}
