package io.vireo.sim.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures depend on, read at the start of a run. */
public record MachineFacts(int processors, String memory, String jdk, String os, double loadAverage) {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    public static MachineFacts now() {
        return new MachineFacts(
                Runtime.getRuntime().availableProcessors(),
                readMemory(),
                System.getProperty("java.vm.vendor", "?") + " " + Runtime.version(),
                System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "nproc %d, memory %s, JDK %s, %s, load average %.2f at start, max heap %d MiB",
                processors,
                memory,
                jdk,
                os,
                loadAverage,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static String readMemory() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
