package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;

/**
 * One plugin of a {@link Profile}: its registered name and the weight of its score (ignored if it does not score; 0
 * keeps its filters but mutes its score).
 *
 * <p>Invariant: {@code 0 <= weight <= MAX_WEIGHT}.
 */
public record PluginSpec(String name, int weight) {
    public static final int MAX_WEIGHT = 100;

    public PluginSpec {
        requireNonNull(name, "name is null");
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw VireoException.invalid("weight", name + " weight must be in 0.." + MAX_WEIGHT + ", got " + weight);
        }
    }

    public static PluginSpec of(String name) {
        return new PluginSpec(name, 1);
    }

    public static PluginSpec of(String name, int weight) {
        return new PluginSpec(name, weight);
    }
}
