package io.vireo.scheduler.plugins;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.model.Resources;
import io.vireo.scheduler.GangPlacementResult;
import io.vireo.scheduler.PlacementBatch;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import io.vireo.scheduler.framework.Explanation;
import io.vireo.scheduler.framework.GangOutcome;
import io.vireo.scheduler.framework.GangRequest;
import io.vireo.scheduler.framework.PlacementOutcome;
import io.vireo.scheduler.framework.PlacementWorkspace;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.ClusterSnapshotHolder;
import io.vireo.scheduler.snapshot.HostConversion;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Scheduler} interface on top of the {@link SchedulingFramework}, answering with the very {@link Host}
 * record chosen (so the caller's claim expects its {@code resourceGeneration}).
 *
 * <p>{@link #place} converts the hosts to a snapshot (each under its own capacity policy) on every call, which costs more
 * than scanning it. {@link #batch} does not: it brings a {@link ClusterSnapshotHolder} kept between batches in line
 * with the host list (converting only hosts whose generation, state or static facts changed), places every VM of the
 * batch on that snapshot, and applies each claim the caller reports as a new snapshot version, also to the holder, so
 * the next batch starts from it. Randomness (tie-breaks, sampling) comes from a generator seeded by {@code seed} and
 * the VM's id, so the same hosts, request and seed always give the same answer.
 *
 * <p>Thread-safe: the holder serialises its changes; each batch is confined to one thread.
 */
public final class FrameworkScheduler implements Scheduler {
    private final SchedulingFramework framework;
    private final long seed;
    private final ClusterSnapshotHolder holder;

    public FrameworkScheduler(SchedulingFramework framework, long seed) {
        this.framework = requireNonNull(framework, "framework is null");
        this.seed = seed;
        this.holder = new ClusterSnapshotHolder();
    }

    /** The in-tree plugins, the profile {@code settings} names. */
    public static FrameworkScheduler create(SchedulerSettings settings, long seed) {
        return new FrameworkScheduler(InTreePlugins.framework(settings), seed);
    }

    @Override
    public PlacementResult place(List<Host> hosts, PlacementRequest request) {
        ClusterSnapshot snapshot = ClusterSnapshot.fromHosts(hosts);
        PlacementOutcome outcome = framework.place(snapshot, request, randomFor(request.vmId()));
        return switch (outcome) {
            case PlacementOutcome.Placed placed -> new PlacementResult.Placed(hosts.get(placed.host()));
            case PlacementOutcome.Unschedulable none -> noValidHost(none.explanation());
        };
    }

    /** A batch on the kept snapshot, brought in line with {@code hosts}. */
    @Override
    public PlacementBatch batch(List<Host> hosts) {
        return new SnapshotBatch(holder.sync(hosts));
    }

    /** The snapshot holder batches start from (for tests and benchmarks). */
    public ClusterSnapshotHolder holder() {
        return holder;
    }

    /** Placements on one snapshot lineage; the store's records per host number answer {@code Placed}. */
    private final class SnapshotBatch implements PlacementBatch {
        private final Host[] hosts;
        private final PlacementWorkspace workspace = new PlacementWorkspace();
        private ClusterSnapshot snapshot;

        SnapshotBatch(ClusterSnapshotHolder.View view) {
            this.snapshot = view.snapshot();
            this.hosts = view.hosts().toArray(Host[]::new);
        }

        @Override
        public PlacementResult place(PlacementRequest request) {
            PlacementOutcome outcome = framework.place(snapshot, request, randomFor(request.vmId()), workspace);
            return switch (outcome) {
                case PlacementOutcome.Placed placed -> new PlacementResult.Placed(hosts[placed.host()]);
                case PlacementOutcome.Unschedulable none -> noValidHost(none.explanation());
            };
        }

        /** The framework's all-or-nothing gang placement on the batch's snapshot, which it leaves unchanged. */
        @Override
        public GangPlacementResult placeGang(PlacementRequest template, List<UUID> vmIds) {
            GangOutcome outcome =
                    framework.placeGang(snapshot, new GangRequest(template, vmIds), randomFor(vmIds.get(0)), workspace);
            return switch (outcome) {
                case GangOutcome.Placed placed ->
                    new GangPlacementResult.Placed(placed.assignments().stream()
                            .map(assignment -> hosts[assignment.host()])
                            .toList());
                case GangOutcome.Unschedulable none -> {
                    PlacementResult.NoValidHost explained = noValidHost(none.explanation());
                    yield new GangPlacementResult.NoValidHost(explained.explanation(), explained.rejections());
                }
            };
        }

        /** A claim (generation one up, only the allocation grown) applies as a claim; anything else as an upsert. */
        @Override
        public void update(Host host) {
            int number = snapshot.indexOf(host.id());
            if (number < 0) {
                holder.upsert(host); // new to this batch: the next batch numbers it
                return;
            }
            Host before = hosts[number];
            Resources claimed = claimed(number, before, host);
            if (claimed != null) {
                snapshot = snapshot.withClaim(number, snapshot.demand(ClusterSnapshotHolder.demand(claimed)));
                holder.applyClaim(host.id(), before.resourceGeneration(), claimed);
            } else {
                snapshot = snapshot.withHost(HostConversion.inventory(host));
                holder.upsert(host);
            }
            hosts[number] = host;
        }

        private @Nullable Resources claimed(int number, Host before, Host after) {
            Resources from = before.allocated();
            Resources to = after.allocated();
            boolean claim = after.resourceGeneration() == before.resourceGeneration() + 1
                    && snapshot.resourceGeneration(number) == before.resourceGeneration()
                    && after.state() == before.state()
                    && after.capacity().equals(before.capacity())
                    && after.capacityPolicy().equals(before.capacityPolicy())
                    && after.capabilities().equals(before.capabilities())
                    && to.vcpus() >= from.vcpus()
                    && to.memoryMib() >= from.memoryMib()
                    && to.diskGib() >= from.diskGib();
            return claim ? to.minus(from) : null;
        }
    }

    static PlacementResult.NoValidHost noValidHost(Explanation explanation) {
        return new PlacementResult.NoValidHost(explanation.text(), explanation.countsByPlugin());
    }

    private RandomGenerator randomFor(UUID vmId) {
        return new SplittableRandom(
                seed ^ vmId.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ vmId.getLeastSignificantBits());
    }
}
