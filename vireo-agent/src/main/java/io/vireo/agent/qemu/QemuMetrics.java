package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.VmStats.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Samples a running VM's {@link VmMetrics}: process and vCPU thread CPU time and resident memory from {@code /proc},
 * block device counters from QMP {@code query-blockstats}, vCPU threads from {@code query-cpus-fast} and the balloon
 * from {@code query-balloon}; network counters come from {@link VmNetwork}. The parsers are pure functions over the text and JSON. Thread-safe (stateless).
 */
final class QemuMetrics {
    /**
     * Clock ticks per second of the CPU times in {@code /proc/PID/stat}: {@code USER_HZ}, 100 on every Linux
     * architecture QEMU hosts run on (it is part of the kernel's user-space ABI).
     */
    static final long USER_HZ = 100;

    private static final Duration TICK = Duration.ofSeconds(1).dividedBy(USER_HZ);
    private static final long BYTES_PER_KIB = 1024;
    /** Fields 14 and 15 of {@code stat} (utime, stime), counted from the state, which is field 3. */
    private static final int UTIME_AFTER_STATE = 11;

    /** The QOM path of the balloon device {@link QemuCommandLine} adds ({@code id=balloon0}). */
    static final String BALLOON_PATH = "/machine/peripheral/balloon0";

    private QemuMetrics() {}

    /**
     * A sample of VM {@code vmId}'s QEMU.
     *
     * @param network the guest's view of its tap's counters ({@link VmNetwork#counters}), or null if its NIC is not
     *     plugged
     */
    static VmMetrics sample(UUID vmId, QemuInstance instance, Instant now, Path proc, @Nullable Network network) {
        Path process = proc.resolve(Long.toString(instance.pid()));
        JsonNode guestStats = guestStats(instance);
        List<Duration> vcpus = new ArrayList<>();
        for (long threadId : vcpuThreadIds(instance.execute("query-cpus-fast"))) {
            vcpus.add(cpuTime(read(
                    process.resolve("task").resolve(Long.toString(threadId)).resolve("stat"))));
        }
        return new VmMetrics(
                vmId,
                now,
                cpuTime(read(process.resolve("stat"))),
                vcpus,
                residentBytes(read(process.resolve("status"))),
                instance.execute("query-balloon").path("actual").asLong(0),
                disks(instance.execute("query-blockstats")),
                guestStatistic(guestStats, "stat-total-memory"),
                guestStatistic(guestStats, "stat-available-memory"),
                network);
    }

    /**
     * The balloon's guest statistics ({@code qom-get} of {@link #BALLOON_PATH} {@code guest-stats}), or a missing node
     * if the VM has no balloon or QEMU cannot answer: the statistics are optional, the rest of the sample is not.
     */
    static JsonNode guestStats(QemuInstance instance) {
        try {
            return instance.execute("qom-get", Map.of("path", BALLOON_PATH, "property", "guest-stats"));
        } catch (HypervisorException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * One value of the balloon's guest statistics, or null if the guest has not reported it: QEMU answers -1 for a
     * statistic the guest never sent, and {@code last-update} 0 before the first report.
     */
    static @Nullable Long guestStatistic(JsonNode guestStats, String name) {
        if (guestStats.path("last-update").asLong(0) <= 0) {
            return null;
        }
        long value = guestStats.path("stats").path(name).asLong(-1);
        return value < 0 ? null : value;
    }

    /** User plus system CPU time from the text of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat}. */
    static Duration cpuTime(String stat) {
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long ticks = Long.parseLong(fields[UTIME_AFTER_STATE]) + Long.parseLong(fields[UTIME_AFTER_STATE + 1]);
        return TICK.multipliedBy(ticks);
    }

    /** {@code VmRSS} from the text of {@code /proc/PID/status}, in bytes; 0 if absent (a zombie has none). */
    static long residentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length())
                                .replace("kB", "")
                                .strip())
                        * BYTES_PER_KIB;
            }
        }
        return 0;
    }

    /** The host thread of each vCPU, ordered by vCPU index, from the answer to {@code query-cpus-fast}. */
    static List<Long> vcpuThreadIds(JsonNode cpus) {
        List<JsonNode> sorted = new ArrayList<>();
        cpus.forEach(sorted::add);
        sorted.sort((a, b) ->
                Integer.compare(a.path("cpu-index").asInt(), b.path("cpu-index").asInt()));
        return sorted.stream().map(cpu -> cpu.path("thread-id").asLong()).toList();
    }

    /** One entry per device from the answer to {@code query-blockstats}. */
    static List<VmMetrics.Disk> disks(JsonNode blockstats) {
        List<VmMetrics.Disk> disks = new ArrayList<>();
        for (JsonNode device : blockstats) {
            JsonNode stats = device.path("stats");
            String name = device.path("device").asText("");
            disks.add(new VmMetrics.Disk(
                    name.isEmpty() ? device.path("qdev").asText("") : name,
                    stats.path("rd_bytes").asLong(),
                    stats.path("wr_bytes").asLong(),
                    stats.path("rd_operations").asLong(),
                    stats.path("wr_operations").asLong()));
        }
        return disks;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new HypervisorException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
