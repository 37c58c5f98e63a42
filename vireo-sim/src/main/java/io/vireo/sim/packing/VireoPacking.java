package io.vireo.sim.packing;

import io.vireo.common.IdGenerator;
import io.vireo.model.Resources;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.framework.PlacementOutcome;
import io.vireo.scheduler.framework.PlacementWorkspace;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.sim.workload.ClusterBuilder;
import io.vireo.sim.workload.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places an arrival sequence, one VM at a time in arrival order, through a Vireo profile on a snapshot, applying each
 * claim before the next VM (as the controller does after the store accepts it).
 */
public final class VireoPacking {
    private VireoPacking() {}

    public static PackingResult place(String profile, ClusterSnapshot empty, List<Shape> vms, long seed) {
        SchedulingFramework framework = BenchmarkProfiles.framework(profile);
        List<PlacementRequest> requests = requests(vms, seed);
        PlacementWorkspace workspace = new PlacementWorkspace();
        SplittableRandom random = new SplittableRandom(seed);
        ClusterSnapshot snapshot = empty;
        int unplaced = 0;
        long nanos = 0;
        for (PlacementRequest request : requests) {
            long start = System.nanoTime();
            PlacementOutcome outcome = framework.place(snapshot, request, random, workspace);
            nanos += System.nanoTime() - start;
            if (outcome instanceof PlacementOutcome.Placed placed) {
                snapshot = placed.snapshotAfter();
            } else {
                unplaced++;
            }
        }
        return new PackingResult(profile, hostsUsed(snapshot), unplaced, vms.size() - unplaced, nanos);
    }

    /** One request per VM, with NIC bandwidth as the custom class {@link ClusterBuilder#NIC_MBPS}. */
    public static List<PlacementRequest> requests(List<Shape> vms, long seed) {
        IdGenerator ids = IdGenerator.seeded(new SplittableRandom(seed));
        List<PlacementRequest> requests = new ArrayList<>(vms.size());
        for (Shape vm : vms) {
            requests.add(request(vm, ids));
        }
        return requests;
    }

    private static PlacementRequest request(Shape vm, IdGenerator ids) {
        return PlacementRequest.builder(
                        ids.next(), new Resources(Math.toIntExact(vm.vcpus()), vm.memoryMib(), vm.diskGib()))
                .customResource(ClusterBuilder.NIC_MBPS, vm.nicMbps())
                .build();
    }

    /** Hosts with anything claimed in any class. */
    public static int hostsUsed(ClusterSnapshot snapshot) {
        int classes = snapshot.resourceClasses().size();
        int used = 0;
        for (int host = 0; host < snapshot.hostCount(); host++) {
            for (int index = 0; index < classes; index++) {
                if (snapshot.used(index, host) > 0) {
                    used++;
                    break;
                }
            }
        }
        return used;
    }
}
