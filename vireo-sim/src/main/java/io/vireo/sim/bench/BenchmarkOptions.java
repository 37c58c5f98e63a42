package io.vireo.sim.bench;

import java.util.List;

/**
 * The command line of {@code ./vireo bench scheduler [--quick] [--seed N]}.
 *
 * <p>Full: 1,000, 10,000 and 50,000 hosts, a 100,000-VM arrival sequence, 20,000 of them head to head with CloudSim
 * Plus best fit. Quick: 10,000 hosts, 20,000 VMs, 10,000 head to head.
 */
record BenchmarkOptions(boolean quick, long seed) {
    static final long DEFAULT_SEED = 20_261_127L;

    static final String USAGE = "usage: vireo bench scheduler [--quick] [--seed N]";

    List<Integer> hostCounts() {
        return quick ? List.of(10_000) : List.of(1_000, 10_000, 50_000);
    }

    List<Double> prefills() {
        return List.of(0.50, 0.85);
    }

    int packingVms() {
        return quick ? 20_000 : 100_000;
    }

    /** The prefix CloudSim Plus best fit and Vireo pack place head to head (see {@link PackingRun}). */
    int headToHeadVms() {
        return quick ? 10_000 : 20_000;
    }

    String command() {
        return "./vireo bench scheduler" + (quick ? " --quick" : "") + " --seed " + seed;
    }

    static BenchmarkOptions parse(List<String> args) {
        if (args.isEmpty() || !args.getFirst().equals("scheduler")) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean quick = false;
        long seed = DEFAULT_SEED;
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--quick" -> quick = true;
                case "--seed" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--seed needs a number; " + USAGE);
                    }
                    seed = Long.parseLong(args.get(++i));
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args.get(i) + "'; " + USAGE);
            }
        }
        return new BenchmarkOptions(quick, seed);
    }
}
