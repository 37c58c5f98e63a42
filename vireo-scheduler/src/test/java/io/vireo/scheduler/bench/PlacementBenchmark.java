package io.vireo.scheduler.bench;

import io.vireo.common.IdGenerator;
import io.vireo.model.Resources;
import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.framework.PlacementOutcome;
import io.vireo.scheduler.framework.PlacementWorkspace;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.ResourceDemand;
import io.vireo.scheduler.testing.ClusterGenerator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One placement over a full scan of {@code hosts} hosts from {@link ClusterGenerator} (mixed sizes and usage, about
 * 15% not UP, some GPUs, traits, zones). Time per operation divided by {@code hosts} is the time per host evaluated.
 *
 * <ul>
 *   <li>{@code plain}: 2 VCPU, 4 GiB, 20 GiB, no constraints, profile {@code default} or {@code pack};
 *   <li>{@code constrained}: the same plus a required trait, a zone and hard anti-affinity with 50 members;
 *   <li>{@code claim}: deriving a snapshot after one claim, the price of the next placement's input.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PlacementBenchmark {
    @Param({"1000", "10000", "50000"})
    public int hosts;

    @Param({"default", "pack"})
    public String profile = "default";

    private ClusterSnapshot snapshot = ClusterSnapshot.of(List.of());
    private SchedulingFramework framework = InTreePlugins.framework(SchedulerSettings.DEFAULT);
    private final PlacementWorkspace workspace = new PlacementWorkspace();
    private final SplittableRandom random = new SplittableRandom(42);
    private PlacementRequest plain =
            PlacementRequest.builder(new UUID(0, 1), Resources.ZERO).build();
    private PlacementRequest constrained = plain;
    private ResourceDemand demand = snapshot.demand(plain.demand());
    private int claimHost;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom seeded = new SplittableRandom(7);
        snapshot = ClusterSnapshot.of(new ClusterGenerator(seeded).hosts(hosts));
        framework = InTreePlugins.framework(SchedulerSettings.DEFAULT.withProfile(profile));
        IdGenerator ids = IdGenerator.seeded(seeded);
        plain = PlacementRequest.builder(ids.next(), new Resources(2, 4_096, 20))
                .build();
        List<UUID> members =
                seeded.ints(50, 0, hosts).mapToObj(snapshot::hostId).toList();
        constrained = PlacementRequest.builder(ids.next(), new Resources(2, 4_096, 20))
                .traits(LabelRequirement.required("cpu.avx2"))
                .availabilityZone("az-1")
                .availabilityZone("az-2")
                .serverGroup(new ServerGroup(ServerGroupPolicy.ANTI_AFFINITY, 1, members))
                .build();
        demand = snapshot.demand(plain.demand());
        claimHost = hosts / 2;
    }

    @Benchmark
    public PlacementOutcome plain() {
        return framework.place(snapshot, plain, random, workspace);
    }

    @Benchmark
    public PlacementOutcome constrained() {
        return framework.place(snapshot, constrained, random, workspace);
    }

    @Benchmark
    public ClusterSnapshot claim() {
        return snapshot.withClaim(claimHost, demand);
    }
}
