package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Which faults a run may inject, how likely each is, and how often each fired. Faults are on during the run's fault
 * phase and off once {@link #stop} is called (the quiet phase in which everything must converge).
 *
 * <p>Per-call faults ({@link FaultKind#STORE_WRITE_FAILS}, {@link FaultKind#STORE_OUTCOME_UNKNOWN},
 * {@link FaultKind#MESSAGE_DUPLICATE}) fire with a probability per call; episodic ones (crashes, partitions, slow
 * hosts) are drawn by the fault injector every few simulated seconds.
 */
final class Faults {
    private static final Map<FaultKind, Double> PER_CALL = Map.of(
            FaultKind.STORE_WRITE_FAILS, 0.01,
            FaultKind.STORE_OUTCOME_UNKNOWN, 0.01,
            FaultKind.MESSAGE_DUPLICATE, 0.02);

    private final Set<FaultKind> enabled;
    private final RandomGenerator random;
    private final EnumMap<FaultKind, Integer> fired = new EnumMap<>(FaultKind.class);
    private boolean active = true;

    Faults(Set<FaultKind> enabled, RandomGenerator random) {
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(enabled);
        this.random = requireNonNull(random, "random is null");
    }

    boolean enabled(FaultKind kind) {
        return active && enabled.contains(kind);
    }

    /** A per-call fault: whether it fires now (and counts it if so). */
    boolean fires(FaultKind kind) {
        if (!enabled(kind)) {
            return false;
        }
        double probability = PER_CALL.getOrDefault(kind, 0.0);
        if (random.nextDouble() >= probability) {
            return false;
        }
        count(kind);
        return true;
    }

    void count(FaultKind kind) {
        fired.merge(kind, 1, Integer::sum);
    }

    /** The episodic faults enabled, in declaration order. */
    FaultKind[] episodic() {
        return enabled.stream()
                .filter(kind -> !PER_CALL.containsKey(kind) && kind != FaultKind.INTERLEAVING)
                .toArray(FaultKind[]::new);
    }

    void stop() {
        active = false;
    }

    Set<FaultKind> enabledKinds() {
        return EnumSet.copyOf(enabled.isEmpty() ? EnumSet.noneOf(FaultKind.class) : enabled);
    }

    Map<FaultKind, Integer> fired() {
        return new EnumMap<>(fired);
    }
}
