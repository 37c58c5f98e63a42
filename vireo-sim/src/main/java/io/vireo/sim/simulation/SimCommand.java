package io.vireo.sim.simulation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./vireo sim run --seed S | --seeds A..B [--hosts N] [--vms N] [--steps K] [--faults all|none|LIST]
 * [--mutation NAME] [--require-all-faults]} and {@code ./vireo sim run --replay FILE}.
 *
 * <p>Prints one line per seed (events, simulated time, trace hash, faults fired, invariants checked), then totals. A
 * failing seed is shrunk (fewer fault kinds, hosts and VMs while the same invariant still fails), its replay file
 * written ({@code sim-failure-<seed>.properties}) and its command printed. Exit status: 0 all passed; 1 a seed failed;
 * 2 bad arguments; 3 with {@code --require-all-faults}, a fault kind never fired across the seeds.
 */
public final class SimCommand {
    private SimCommand() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(List.of(args), System.out, Path.of(System.getProperty("java.io.tmpdir"))));
    }

    static int run(List<String> args, PrintStream out, Path scratch) throws IOException {
        Parsed parsed;
        try {
            parsed = Parsed.of(args);
        } catch (IllegalArgumentException e) {
            out.println("vireo sim: " + e.getMessage());
            return 2;
        }
        if (parsed.replay != null) {
            return replay(parsed.replay, out, scratch);
        }
        long wallStart = System.nanoTime();
        long events = 0;
        long simulatedMillis = 0;
        Map<FaultKind, Integer> fired = new EnumMap<>(FaultKind.class);
        int failures = 0;
        for (long seed = parsed.firstSeed; seed <= parsed.lastSeed; seed++) {
            SimulationResult result = Simulation.run(seed, parsed.options, scratch);
            out.println(result.summary());
            events += result.events();
            simulatedMillis += result.simulatedMillis();
            result.faultsFired().forEach((kind, count) -> fired.merge(kind, count, Integer::sum));
            if (!result.passed()) {
                failures++;
                shrinkAndSave(result, out, scratch);
            }
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        long seeds = parsed.lastSeed - parsed.firstSeed + 1;
        out.printf(
                Locale.ROOT,
                "%d seeds, %d failed; %d events in %.1f s: %.0f events/s, %.1f simulated s per wall s; faults fired:"
                        + " %s%n",
                seeds,
                failures,
                events,
                wallSeconds,
                events / wallSeconds,
                simulatedMillis / 1000.0 / wallSeconds,
                fired);
        if (failures > 0) {
            return 1;
        }
        Set<FaultKind> never = EnumSet.noneOf(FaultKind.class);
        for (FaultKind kind : parsed.options.faults()) {
            if (kind != FaultKind.INTERLEAVING && !fired.containsKey(kind)) {
                never.add(kind);
            }
        }
        if (parsed.requireAllFaults && !never.isEmpty()) {
            out.println("vireo sim: these faults never fired: " + never);
            return 3;
        }
        return 0;
    }

    /** Fewer fault kinds, then fewer hosts and VMs, while the same invariant still fails; writes the replay file. */
    private static void shrinkAndSave(SimulationResult failed, PrintStream out, Path scratch) throws IOException {
        Invariants.Name invariant = failed.violation().orElseThrow().invariant();
        SimulationResult smallest = failed;
        SimulationOptions options = failed.options().withSteps(failed.violationAtEvent());
        for (FaultKind kind : List.copyOf(options.faults())) {
            Set<FaultKind> fewer = EnumSet.copyOf(options.faults());
            fewer.remove(kind);
            Optional<SimulationResult> still = stillFails(failed.seed(), options.withFaults(fewer), invariant, scratch);
            if (still.isPresent()) {
                smallest = still.get();
                options = smallest.options().withSteps(smallest.violationAtEvent());
            }
        }
        for (int hosts = options.hosts() / 2; hosts >= 1; hosts /= 2) {
            Optional<SimulationResult> still = stillFails(failed.seed(), options.withHosts(hosts), invariant, scratch);
            if (still.isEmpty()) {
                break;
            }
            smallest = still.get();
            options = smallest.options().withSteps(smallest.violationAtEvent());
        }
        for (int vms = options.vms() / 2; vms >= 1; vms /= 2) {
            Optional<SimulationResult> still = stillFails(failed.seed(), options.withVms(vms), invariant, scratch);
            if (still.isEmpty()) {
                break;
            }
            smallest = still.get();
            options = smallest.options().withSteps(smallest.violationAtEvent());
        }
        Path file = Path.of("sim-failure-" + failed.seed() + ".properties");
        Properties replay = new Properties();
        replay.setProperty("seed", Long.toString(smallest.seed()));
        replay.setProperty("hosts", Integer.toString(options.hosts()));
        replay.setProperty("vms", Integer.toString(options.vms()));
        replay.setProperty("steps", Long.toString(options.steps()));
        replay.setProperty("faults", options.faultsFlag());
        replay.setProperty("mutation", options.mutation().flag());
        replay.setProperty("trace", Long.toHexString(smallest.traceHash()));
        replay.setProperty("invariant", invariant.name());
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            replay.store(writer, "vireo sim replay: ./vireo sim run --replay " + file);
        }
        out.println("  shrunk: " + smallest.summary());
        out.println("  the last " + smallest.lastEvents().size() + " events and outcomes before it (simulated time):");
        smallest.lastEvents().forEach(line -> out.println("    " + line));
        out.println("  replay: ./vireo sim run --replay " + file + "   (or: " + options.command(smallest.seed()) + ")");
    }

    private static Optional<SimulationResult> stillFails(
            long seed, SimulationOptions options, Invariants.Name invariant, Path scratch) {
        SimulationResult result = Simulation.run(seed, options, scratch);
        return result.violation().filter(v -> v.invariant() == invariant).map(v -> result);
    }

    private static int replay(Path file, PrintStream out, Path scratch) throws IOException {
        Properties replay = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            replay.load(reader);
        }
        List<String> args = new ArrayList<>();
        for (String name : List.of("seed", "hosts", "vms", "steps", "faults", "mutation")) {
            args.add("--" + name);
            args.add(replay.getProperty(name, ""));
        }
        Parsed parsed = Parsed.of(args);
        SimulationResult result = Simulation.run(parsed.firstSeed, parsed.options, scratch);
        out.println(result.summary());
        if (!result.passed()) {
            result.lastEvents().forEach(line -> out.println("    " + line));
        }
        String expected = replay.getProperty("trace", "");
        boolean same = Long.toHexString(result.traceHash()).equals(expected);
        out.println(
                same ? "replayed exactly (trace " + expected + ")" : "the trace differs from the recorded " + expected);
        return result.passed() ? 0 : 1;
    }

    /** Parsed arguments. */
    private static final class Parsed {
        long firstSeed = 1;
        long lastSeed = 1;
        SimulationOptions options = SimulationOptions.defaults();
        boolean requireAllFaults;

        @Nullable
        Path replay;

        static Parsed of(List<String> args) {
            Parsed parsed = new Parsed();
            List<String> rest = new ArrayList<>(args);
            if (!rest.isEmpty() && rest.get(0).equals("run")) {
                rest.remove(0);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < rest.size(); i++) {
                String name = rest.get(i);
                if (name.equals("--require-all-faults")) {
                    parsed.requireAllFaults = true;
                    continue;
                }
                if (!name.startsWith("--") || i + 1 >= rest.size()) {
                    throw new IllegalArgumentException("expected --option value, got '" + name + "'");
                }
                values.put(name, rest.get(++i));
            }
            values.forEach((name, value) -> parsed.set(name, value));
            return parsed;
        }

        private void set(String name, String value) {
            try {
                switch (name) {
                    case "--seed" -> {
                        firstSeed = Long.parseLong(value);
                        lastSeed = firstSeed;
                    }
                    case "--seeds" -> {
                        String[] range = value.split("\\.\\.", 2);
                        if (range.length != 2) {
                            throw new IllegalArgumentException("--seeds takes A..B, got '" + value + "'");
                        }
                        firstSeed = Long.parseLong(range[0]);
                        lastSeed = Long.parseLong(range[1]);
                        if (lastSeed < firstSeed) {
                            throw new IllegalArgumentException("--seeds: " + value + " is empty");
                        }
                    }
                    case "--hosts" -> options = options.withHosts(Integer.parseInt(value));
                    case "--vms" -> options = options.withVms(Integer.parseInt(value));
                    case "--steps" -> options = options.withSteps(Long.parseLong(value));
                    case "--faults" -> options = options.withFaults(faults(value));
                    case "--mutation" -> options = options.withMutation(Mutation.parse(value));
                    case "--replay" -> replay = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a number, got '" + value + "'", e);
            }
        }

        private static Set<FaultKind> faults(String value) {
            if (value.equals("all")) {
                return EnumSet.allOf(FaultKind.class);
            }
            Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
            if (value.equals("none") || value.isEmpty()) {
                return kinds;
            }
            for (String flag : value.split(",")) {
                kinds.add(FaultKind.parse(flag.trim()));
            }
            return kinds;
        }
    }
}
