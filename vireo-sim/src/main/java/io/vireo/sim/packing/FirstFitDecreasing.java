package io.vireo.sim.packing;

import io.vireo.sim.workload.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plain offline baseline: sort the VMs by dominant share (largest first), put each on the first open host where
 * every class fits, and open a host when none does. It sees the whole sequence in advance, which an online scheduler
 * cannot.
 */
public final class FirstFitDecreasing {
    private FirstFitDecreasing() {}

    /** The number of hosts of shape {@code host} that first-fit-decreasing opens for {@code vms}. */
    public static int hosts(List<Shape> vms, Shape host) {
        List<Shape> sorted = new ArrayList<>(vms);
        sorted.sort(
                Comparator.comparingDouble((Shape vm) -> vm.dominantShare(host)).reversed());
        List<long[]> free = new ArrayList<>();
        for (Shape vm : sorted) {
            if (!fitsEmpty(vm, host)) {
                throw new IllegalArgumentException("VM " + vm + " does not fit an empty host " + host);
            }
            long[] target = firstFit(free, vm);
            if (target == null) {
                target = new long[Shape.CLASS_COUNT];
                for (int index = 0; index < Shape.CLASS_COUNT; index++) {
                    target[index] = host.amount(index);
                }
                free.add(target);
            }
            for (int index = 0; index < Shape.CLASS_COUNT; index++) {
                target[index] -= vm.amount(index);
            }
        }
        return free.size();
    }

    private static long @org.jspecify.annotations.Nullable [] firstFit(List<long[]> free, Shape vm) {
        long vcpus = vm.vcpus();
        long memory = vm.memoryMib();
        long disk = vm.diskGib();
        long nic = vm.nicMbps();
        for (long[] candidate : free) {
            if (candidate[0] >= vcpus && candidate[1] >= memory && candidate[2] >= disk && candidate[3] >= nic) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean fitsEmpty(Shape vm, Shape host) {
        for (int index = 0; index < Shape.CLASS_COUNT; index++) {
            if (vm.amount(index) > host.amount(index)) {
                return false;
            }
        }
        return true;
    }
}
