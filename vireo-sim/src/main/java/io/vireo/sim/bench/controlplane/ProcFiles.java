package io.vireo.sim.bench.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Linux's {@code /proc} says about a process: resident memory from {@code /proc/PID/status} ({@code VmRSS}, and
 * {@code VmHWM}, its peak) and CPU time from {@code /proc/PID/stat} (user + system, in clock ticks). The parsing is
 * pure; {@link #read} reads the files and answers empty for a process that is gone.
 */
final class ProcFiles {
    /** Clock ticks per second of {@code /proc/PID/stat} ({@code getconf CLK_TCK}; 100 on every Linux we run on). */
    static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");
    /** Fields 14-17 of {@code stat} (1-based): utime, stime, cutime, cstime; counted from after the command's ')'. */
    private static final int UTIME_AFTER_COMMAND = 11;

    private ProcFiles() {}

    /** The value of a {@code kB} line such as {@code VmRSS:   123456 kB} of a {@code status} file, in KiB. */
    static OptionalLong statusKib(String status, String field) {
        for (String line : status.split("\n", -1)) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                int space = value.indexOf(' ');
                return OptionalLong.of(Long.parseLong(space < 0 ? value : value.substring(0, space)));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * CPU ticks of a {@code stat} line: its own user and system time, plus, with {@code children}, those of its children
     * that have ended and been waited for.
     */
    static long cpuTicks(String stat, boolean children) {
        // the command (field 2) is in parentheses and may itself hold spaces and parentheses
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        List<String> fields = List.of(stat.substring(close + 1).trim().split(" +", -1));
        long ticks =
                Long.parseLong(fields.get(UTIME_AFTER_COMMAND)) + Long.parseLong(fields.get(UTIME_AFTER_COMMAND + 1));
        if (children) {
            ticks += Long.parseLong(fields.get(UTIME_AFTER_COMMAND + 2))
                    + Long.parseLong(fields.get(UTIME_AFTER_COMMAND + 3));
        }
        return ticks;
    }

    /** One process's figures now. */
    record Sample(long rssKib, long peakRssKib, long ownTicks, long withChildrenTicks) {}

    /** Process {@code pid}'s figures, or empty if it is gone (or {@code /proc} cannot be read). */
    static Optional<Sample> read(long pid) {
        Path directory = PROC.resolve(Long.toString(pid));
        try {
            String status = Files.readString(directory.resolve("status"), StandardCharsets.UTF_8);
            String stat = Files.readString(directory.resolve("stat"), StandardCharsets.UTF_8);
            return Optional.of(new Sample(
                    statusKib(status, "VmRSS").orElse(0),
                    statusKib(status, "VmHWM").orElse(0),
                    cpuTicks(stat, false),
                    cpuTicks(stat, true)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The CPU model of this machine ({@code model name} in {@code /proc/cpuinfo}). */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
