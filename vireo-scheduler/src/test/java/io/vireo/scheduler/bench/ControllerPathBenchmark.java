package io.vireo.scheduler.bench;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.scheduler.PlacementBatch;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placement cost as the controller pays it, at {@code hosts} hosts: one pass lists the hosts (here: copies the
 * simulated store's records), places {@value #BATCH} VMs one after another, claims each chosen host (a conditional
 * write on its resource generation, simulated in memory) and tells the scheduler about the claimed host. Time per
 * operation is per placement, the pass's fixed costs spread over its VMs. No database: this isolates what the scheduler
 * side costs.
 *
 * <ul>
 *   <li>{@code perCall}: the controller before the snapshot holder, a map of host records passed whole to
 *       {@code Scheduler.place} for every VM, which converts every host into a snapshot each time;
 *   <li>{@code batch}: {@code Scheduler.batch}, which syncs the kept snapshot with the listed hosts once per pass
 *       (converting only changed hosts) and applies each claim as a new snapshot version.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@OperationsPerInvocation(ControllerPathBenchmark.BATCH)
public class ControllerPathBenchmark {
    static final int BATCH = 100;

    @Param({"10000"})
    public int hosts;

    @Param({"perCall", "batch"})
    public String path = "batch";

    private Host[] store = new Host[0];
    private FrameworkScheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);
    private final SplittableRandom random = new SplittableRandom(11);
    private long vmNumber;

    @Setup(Level.Iteration)
    public void setUp() {
        SplittableRandom seeded = new SplittableRandom(7);
        store = new Host[hosts];
        for (int i = 0; i < hosts; i++) {
            store[i] = host(i, seeded);
        }
        scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);
        scheduler.batch(List.of(store)); // the kept snapshot exists from earlier passes
    }

    private static Host host(int i, SplittableRandom random) {
        Resources capacity = new Resources(64, 262_144, 2_000);
        Resources used = new Resources(random.nextInt(33), random.nextLong(131_073), random.nextLong(1_001));
        List<String> capabilities = List.of(
                "az:az-" + random.nextInt(3),
                random.nextBoolean() ? "trait:cpu.avx2" : "trait:cpu.avx512",
                "aggregate:" + (random.nextInt(4) == 0 ? "ssd" : "hdd"));
        HostState state = random.nextInt(20) == 0 ? HostState.DOWN : HostState.UP;
        return new Host(
                new UUID(1, i), // the low bits are the store's index
                "host-" + i,
                Instant.EPOCH,
                state,
                capacity,
                used,
                random.nextInt(100),
                capabilities,
                "fake",
                null,
                HostUsage.NONE,
                CapacityPolicy.NONE,
                false);
    }

    @Benchmark
    public int pass() {
        List<Host> listed = List.of(store);
        return path.equals("batch") ? placeInBatch(listed) : placePerCall(listed);
    }

    private int placeInBatch(List<Host> listed) {
        PlacementBatch batch = scheduler.batch(listed);
        int placed = 0;
        for (int vm = 0; vm < BATCH; vm++) {
            PlacementRequest request = request();
            if (batch.place(request) instanceof PlacementResult.Placed p) {
                Host after = claim(p.host(), request.resources());
                batch.update(after);
                placed++;
            }
        }
        return placed;
    }

    /** What PlacementController did before {@code Scheduler.batch}. */
    private int placePerCall(List<Host> listed) {
        Map<UUID, Host> snapshot = new LinkedHashMap<>();
        listed.forEach(host -> snapshot.put(host.id(), host));
        int placed = 0;
        for (int vm = 0; vm < BATCH; vm++) {
            PlacementRequest request = request();
            if (scheduler.place(new ArrayList<>(snapshot.values()), request) instanceof PlacementResult.Placed p) {
                Host after = claim(p.host(), request.resources());
                snapshot.put(after.id(), after);
                placed++;
            }
        }
        return placed;
    }

    private PlacementRequest request() {
        int vcpus = 1 << random.nextInt(4);
        return new PlacementRequest(new UUID(2, vmNumber++), new Resources(vcpus, 2_048L * vcpus, 20));
    }

    /** The store's conditional claim, in memory: the generation must match; allocation grows, generation + 1. */
    private Host claim(Host host, Resources resources) {
        int i = (int) host.id().getLeastSignificantBits();
        Host current = store[i];
        if (current.resourceGeneration() != host.resourceGeneration()) {
            throw new IllegalStateException("lost a claim race in a single-threaded benchmark");
        }
        Host after = new Host(
                current.id(),
                current.name(),
                current.createdAt(),
                current.state(),
                current.capacity(),
                current.allocated().plus(resources),
                current.resourceGeneration() + 1,
                current.capabilities(),
                current.driver(),
                current.lastHeartbeatAt(),
                current.usage(),
                current.capacityPolicy(),
                current.capacityPolicyOverridden());
        store[i] = after;
        return after;
    }
}
