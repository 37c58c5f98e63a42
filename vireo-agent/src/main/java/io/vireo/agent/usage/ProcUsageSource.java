package io.vireo.agent.usage;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.model.HostUsage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host use read from Linux: CPU busy share between two samples from {@code /proc/stat}, memory in use
 * ({@code MemTotal - MemAvailable}) from {@code /proc/meminfo}, disk used on the file system of the state directory,
 * and running VMs from the reconciler. A value that cannot be read is reported as 0 and logged once.
 *
 * <p>Not thread-safe: it keeps the previous CPU sample; call it from one thread (the heartbeat).
 */
public final class ProcUsageSource implements HostUsageSource {
    private static final Logger log = LoggerFactory.getLogger(ProcUsageSource.class);
    private static final long KIB_PER_MIB = 1024;
    private static final long BYTES_PER_GIB = 1024L * 1024 * 1024;
    private static final int IDLE_FIELD = 3;
    private static final int IOWAIT_FIELD = 4;

    private final Path procRoot;
    private final Path stateDir;
    private final VmReconciler reconciler;
    private long previousTotal;
    private long previousIdle;
    private boolean warned;

    /** {@code procRoot} is {@code /proc} on a real host, a directory of sample files in tests. */
    public ProcUsageSource(Path procRoot, Path stateDir, VmReconciler reconciler) {
        this.procRoot = requireNonNull(procRoot, "procRoot is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
    }

    @Override
    public HostUsage sample() {
        return new HostUsage(
                cpuPercent(),
                memoryUsedMib(),
                diskUsedGib(),
                reconciler.allocation().runningVms());
    }

    private double cpuPercent() {
        try {
            List<String> lines = Files.readAllLines(procRoot.resolve("stat"));
            String[] fields =
                    lines.isEmpty() ? new String[0] : lines.getFirst().trim().split("\\s+");
            if (fields.length <= IOWAIT_FIELD + 1 || !fields[0].equals("cpu")) {
                return unreadable("stat", "no cpu line");
            }
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[IDLE_FIELD + 1]) + Long.parseLong(fields[IOWAIT_FIELD + 1]);
            long totalDelta = total - previousTotal;
            long idleDelta = idle - previousIdle;
            previousTotal = total;
            previousIdle = idle;
            return totalDelta <= 0 ? 0 : Math.clamp(100.0 * (totalDelta - idleDelta) / totalDelta, 0, 100);
        } catch (IOException | RuntimeException e) {
            return unreadable("stat", e.toString());
        }
    }

    private long memoryUsedMib() {
        try {
            List<String> lines = Files.readAllLines(procRoot.resolve("meminfo"));
            OptionalLong total = meminfo(lines, "MemTotal:");
            OptionalLong available = meminfo(lines, "MemAvailable:");
            if (total.isEmpty() || available.isEmpty()) {
                return (long) unreadable("meminfo", "no MemTotal or MemAvailable");
            }
            return Math.max(0, total.getAsLong() - available.getAsLong()) / KIB_PER_MIB;
        } catch (IOException | RuntimeException e) {
            return (long) unreadable("meminfo", e.toString());
        }
    }

    private long diskUsedGib() {
        try {
            FileStore store = Files.getFileStore(stateDir);
            return Math.max(0, store.getTotalSpace() - store.getUnallocatedSpace()) / BYTES_PER_GIB;
        } catch (IOException | RuntimeException e) {
            return (long) unreadable("disk", e.toString());
        }
    }

    private static OptionalLong meminfo(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] fields = line.substring(key.length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(fields[0]));
            }
        }
        return OptionalLong.empty();
    }

    private double unreadable(String what, String why) {
        if (!warned) {
            warned = true;
            log.warn("Cannot read host usage ({}): {}; reporting 0", what, why);
        }
        return 0;
    }
}
