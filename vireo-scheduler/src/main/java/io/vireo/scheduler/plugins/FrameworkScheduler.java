package io.vireo.scheduler.plugins;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import io.vireo.scheduler.framework.Explanation;
import io.vireo.scheduler.framework.PlacementOutcome;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.InventoryPolicy;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The {@link Scheduler} interface on top of the {@link SchedulingFramework}: converts the hosts to a snapshot through
 * an {@link InventoryPolicy} on every call, places, and answers with the very {@link Host} record chosen (so the
 * caller's claim expects its {@code resourceGeneration}).
 *
 * <p>Building the snapshot costs more than scanning it; a caller placing many VMs should keep a
 * {@link ClusterSnapshot} and call the framework directly. Randomness (tie-breaks, sampling) comes from a generator
 * seeded by {@code seed} and the VM's id, so the same hosts, request and seed always give the same answer.
 * Immutable and thread-safe.
 */
public final class FrameworkScheduler implements Scheduler {
    private final SchedulingFramework framework;
    private final InventoryPolicy policy;
    private final long seed;

    public FrameworkScheduler(SchedulingFramework framework, InventoryPolicy policy, long seed) {
        this.framework = requireNonNull(framework, "framework is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.seed = seed;
    }

    /** The in-tree plugins, the profile {@code settings} names, no overcommit. */
    public static FrameworkScheduler create(SchedulerSettings settings, long seed) {
        return new FrameworkScheduler(InTreePlugins.framework(settings), InventoryPolicy.NONE, seed);
    }

    @Override
    public PlacementResult place(List<Host> hosts, PlacementRequest request) {
        ClusterSnapshot snapshot = ClusterSnapshot.fromHosts(hosts, policy);
        PlacementOutcome outcome = framework.place(snapshot, request, randomFor(request.vmId()));
        return switch (outcome) {
            case PlacementOutcome.Placed placed -> new PlacementResult.Placed(hosts.get(placed.host()));
            case PlacementOutcome.Unschedulable none -> noValidHost(none.explanation());
        };
    }

    static PlacementResult.NoValidHost noValidHost(Explanation explanation) {
        return new PlacementResult.NoValidHost(explanation.text(), explanation.countsByPlugin());
    }

    private RandomGenerator randomFor(UUID vmId) {
        return new SplittableRandom(
                seed ^ vmId.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ vmId.getLeastSignificantBits());
    }
}
