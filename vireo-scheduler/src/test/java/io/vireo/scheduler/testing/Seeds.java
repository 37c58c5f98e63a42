package io.vireo.scheduler.testing;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * Runs a seeded property many times. A failure names its seed and how to replay exactly that run:
 * {@code -Dvireo.seed=<seed>} (with {@code -Dtest=<class>}). {@code -Dvireo.runs=<n>} changes how many seeds run.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    public static RandomGenerator random(long seed) {
        return new SplittableRandom(seed);
    }

    /** Whether one seed is being replayed (so that coverage checks over many seeds do not apply). */
    public static boolean replaying() {
        return System.getProperty("vireo.seed") != null;
    }

    /** Runs {@code property} for {@code runs} seeds (or the one given by {@code -Dvireo.seed}). */
    public static void forEach(int runs, LongConsumer property) {
        String replay = System.getProperty("vireo.seed");
        if (replay != null) {
            run(Long.decode(replay), property);
            return;
        }
        int count = Integer.getInteger("vireo.runs", runs);
        for (int i = 1; i <= count; i++) {
            run(i * GOLDEN, property);
        }
    }

    private static void run(long seed, LongConsumer property) {
        try {
            property.accept(seed);
        } catch (AssertionError | RuntimeException e) {
            String replay = "seed " + seed + " failed; replay with -Dvireo.seed=" + seed;
            System.err.println(replay);
            throw new AssertionError(replay + ": " + e.getMessage(), e);
        }
    }
}
