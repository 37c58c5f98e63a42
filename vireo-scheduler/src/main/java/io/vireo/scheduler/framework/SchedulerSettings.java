package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;

/**
 * Configuration of the scheduler. {@code profile}: the profile's name ({@code default}, {@code pack}, {@code spread}).
 * {@code samplingPercent}: below 100, a cycle stops scanning once it found that share of the hosts feasible (but at
 * least {@code minFeasibleHosts}), starting at a random host; 100 (the default) scans every host. {@code maxGangSize}:
 * the most VMs one all-or-nothing placement may hold.
 *
 * <p>Invariants: {@code 1 <= samplingPercent <= 100}, {@code minFeasibleHosts >= 1},
 * {@code 1 <= maxGangSize <= MAX_GANG_SIZE}.
 */
public record SchedulerSettings(String profile, int samplingPercent, int minFeasibleHosts, int maxGangSize) {
    public static final int MAX_GANG_SIZE = 10_000;
    public static final SchedulerSettings DEFAULT = new SchedulerSettings("default", 100, 100, 1_000);

    public SchedulerSettings {
        requireNonNull(profile, "profile is null");
        if (samplingPercent < 1 || samplingPercent > 100) {
            throw VireoException.invalid("samplingPercent", "must be in 1..100, got " + samplingPercent);
        }
        if (minFeasibleHosts < 1) {
            throw VireoException.invalid("minFeasibleHosts", "must be positive, got " + minFeasibleHosts);
        }
        if (maxGangSize < 1 || maxGangSize > MAX_GANG_SIZE) {
            throw VireoException.invalid("maxGangSize", "must be in 1.." + MAX_GANG_SIZE + ", got " + maxGangSize);
        }
    }

    public SchedulerSettings withProfile(String name) {
        return new SchedulerSettings(name, samplingPercent, minFeasibleHosts, maxGangSize);
    }

    public SchedulerSettings withSamplingPercent(int percent) {
        return new SchedulerSettings(profile, percent, minFeasibleHosts, maxGangSize);
    }

    public boolean sampling() {
        return samplingPercent < 100;
    }

    /** How many feasible hosts a cycle finds before it stops scanning {@code hostCount} hosts. */
    public int feasibleTarget(int hostCount) {
        if (!sampling()) {
            return hostCount;
        }
        long share = ((long) hostCount * samplingPercent + 99) / 100;
        return (int) Math.min(hostCount, Math.max(minFeasibleHosts, share));
    }
}
