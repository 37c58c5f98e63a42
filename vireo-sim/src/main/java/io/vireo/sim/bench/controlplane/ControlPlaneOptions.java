package io.vireo.sim.bench.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@code ./vireo bench control-plane}.
 *
 * <p>Full: 10,000 hosts, 100,000 VMs, a 20 s warm-up and create steps of 60 s. Quick: 2,000 hosts, 20,000 VMs, a 5 s
 * warm-up and steps of 10 s. Creates start at {@code startRate} per second and rise by {@code rateFactor} each step,
 * at most {@code maxSteps} steps, until VMs stop reaching RUNNING at the offered rate.
 *
 * @param hosts simulated hosts, each one agent with its own certificate and stream
 * @param vms VMs created before the steps, so that the store holds them while the steps run
 * @param quick the short run
 * @param warmup creates at the first step's rate before the first step, not counted
 * @param step how long each create rate is offered
 * @param maxSteps the most create steps
 * @param startRate creates per second offered in the first step
 * @param rateFactor how much each step offers more than the one before
 * @param mixRate shows, stops, starts and deletes per second, all through the steps
 * @param listRate {@code GET /api/v1/vms?limit=1000} per second, all through the steps
 * @param serverHeapMib the server's {@code -Xmx}
 * @param append the Markdown file the section is appended to, or null
 */
record ControlPlaneOptions(
        int hosts,
        int vms,
        boolean quick,
        Duration warmup,
        Duration step,
        int maxSteps,
        double startRate,
        double rateFactor,
        double mixRate,
        double listRate,
        int serverHeapMib,
        @Nullable Path append) {
    static final String USAGE = "usage: vireo bench control-plane [--quick] [--hosts N] [--vms N] [--step-seconds S]"
            + " [--start-rate R] [--max-steps K] [--server-heap-mib M] [--append FILE]";

    static final int MAX_HOSTS = 100_000;
    static final int MAX_VMS = 1_000_000;
    static final int DEFAULT_SERVER_HEAP_MIB = 2048;

    ControlPlaneOptions {
        requireRange("--hosts", hosts, 1, MAX_HOSTS);
        requireRange("--vms", vms, 0, MAX_VMS);
        requireRange("--max-steps", maxSteps, 1, 20);
        requireRange("--server-heap-mib", serverHeapMib, 256, 65_536);
        if (step.isNegative() || step.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("--step-seconds must be positive; " + USAGE);
        }
        if (!(startRate > 0) || !(rateFactor > 1) || !(mixRate >= 0) || !(listRate >= 0)) {
            throw new IllegalArgumentException("--start-rate must be positive; " + USAGE);
        }
    }

    static ControlPlaneOptions defaults(boolean quick) {
        return quick
                ? new ControlPlaneOptions(
                        2_000,
                        20_000,
                        true,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        6,
                        10,
                        2,
                        10,
                        1,
                        DEFAULT_SERVER_HEAP_MIB,
                        null)
                : new ControlPlaneOptions(
                        10_000,
                        100_000,
                        false,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(60),
                        8,
                        10,
                        2,
                        20,
                        2,
                        DEFAULT_SERVER_HEAP_MIB,
                        null);
    }

    /** The create rate offered in step {@code index} (0-based). */
    double rate(int index) {
        return startRate * Math.pow(rateFactor, index);
    }

    /** The command that reproduces this run (without {@code --append}, which the launcher adds). */
    String command() {
        ControlPlaneOptions plain = defaults(quick);
        List<String> parts = new ArrayList<>(List.of("./vireo bench control-plane"));
        if (quick) {
            parts.add("--quick");
        }
        if (hosts != plain.hosts) {
            parts.add("--hosts " + hosts);
        }
        if (vms != plain.vms) {
            parts.add("--vms " + vms);
        }
        if (!step.equals(plain.step)) {
            parts.add("--step-seconds " + step.toSeconds());
        }
        if (startRate != plain.startRate) {
            parts.add(String.format(Locale.ROOT, "--start-rate %s", trim(startRate)));
        }
        if (maxSteps != plain.maxSteps) {
            parts.add("--max-steps " + maxSteps);
        }
        if (serverHeapMib != plain.serverHeapMib) {
            parts.add("--server-heap-mib " + serverHeapMib);
        }
        return String.join(" ", parts);
    }

    static ControlPlaneOptions parse(List<String> args) {
        if (args.isEmpty() || !args.getFirst().equals("control-plane")) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean quick = args.contains("--quick");
        ControlPlaneOptions plain = defaults(quick);
        int hosts = plain.hosts;
        int vms = plain.vms;
        Duration step = plain.step;
        double startRate = plain.startRate;
        int maxSteps = plain.maxSteps;
        int heap = plain.serverHeapMib;
        Path append = null;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--quick" -> {}
                case "--hosts" -> hosts = integer(option, value(args, ++i, option));
                case "--vms" -> vms = integer(option, value(args, ++i, option));
                case "--step-seconds" -> step = Duration.ofSeconds(integer(option, value(args, ++i, option)));
                case "--start-rate" -> startRate = number(option, value(args, ++i, option));
                case "--max-steps" -> maxSteps = integer(option, value(args, ++i, option));
                case "--server-heap-mib" -> heap = integer(option, value(args, ++i, option));
                case "--append" -> append = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown argument '" + option + "'; " + USAGE);
            }
        }
        return new ControlPlaneOptions(
                hosts,
                vms,
                quick,
                plain.warmup,
                step,
                maxSteps,
                startRate,
                plain.rateFactor,
                plain.mixRate,
                plain.listRate,
                heap,
                append);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return args.get(index);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'; " + USAGE, e);
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + value + "'; " + USAGE, e);
        }
    }

    private static void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    option + " must be " + min + "-" + max + ", got " + value + "; " + USAGE);
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
