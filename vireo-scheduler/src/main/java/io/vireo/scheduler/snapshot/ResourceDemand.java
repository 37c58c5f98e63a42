package io.vireo.scheduler.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one VM asks for, compiled against the resource classes of one {@link ClusterSnapshot}: an amount per class
 * index, the indexes it asks a positive amount of ("demanded"), the indexes scorers weigh ("scoring": VCPU and
 * MEMORY_MIB always, plus every demanded class), and the classes no host in the snapshot offers.
 *
 * <p>Invariants: {@code amount(c) >= 0}; demanded and scoring indexes ascend; a class in {@link #unknownClasses()} has a
 * positive amount and no index. Only valid for snapshots with the same resource classes (every snapshot derived by a
 * claim is). Immutable and thread-safe.
 */
public final class ResourceDemand {
    private final List<ResourceClass> classes;
    private final long[] amounts;
    private final int[] demanded;
    private final int[] scoring;
    private final List<ResourceClass> unknownClasses;

    private ResourceDemand(
            List<ResourceClass> classes, long[] amounts, int[] demanded, int[] scoring, List<ResourceClass> unknown) {
        this.classes = classes;
        this.amounts = amounts;
        this.demanded = demanded;
        this.scoring = scoring;
        this.unknownClasses = List.copyOf(unknown);
    }

    /** Compiles {@code request} (amount per class, none negative) against {@code classes}. */
    static ResourceDemand compile(
            List<ResourceClass> classes, Map<ResourceClass, Integer> indexes, Map<ResourceClass, Long> request) {
        long[] amounts = new long[classes.size()];
        List<ResourceClass> unknown = new ArrayList<>();
        for (Map.Entry<ResourceClass, Long> entry : new TreeMap<>(request).entrySet()) {
            long amount = entry.getValue();
            if (amount < 0) {
                throw new IllegalArgumentException(entry.getKey() + " demand is negative: " + amount);
            }
            Integer index = indexes.get(entry.getKey());
            if (index != null) {
                amounts[index] = amount;
            } else if (amount > 0) {
                unknown.add(entry.getKey());
            }
        }
        int[] demanded = indexesWhere(amounts, false);
        int[] scoring = indexesWhere(amounts, true);
        return new ResourceDemand(classes, amounts, demanded, scoring, unknown);
    }

    private static int[] indexesWhere(long[] amounts, boolean orStandardScoring) {
        int count = 0;
        int[] indexes = new int[amounts.length];
        for (int c = 0; c < amounts.length; c++) {
            boolean cpuOrMemory = c == ClusterSnapshot.VCPU || c == ClusterSnapshot.MEMORY_MIB;
            if (amounts[c] > 0 || (orStandardScoring && cpuOrMemory)) {
                indexes[count++] = c;
            }
        }
        return java.util.Arrays.copyOf(indexes, count);
    }

    public List<ResourceClass> classes() {
        return classes;
    }

    /** The amount of the class at {@code classIndex}. */
    public long amount(int classIndex) {
        return amounts[classIndex];
    }

    public int demandedCount() {
        return demanded.length;
    }

    /** The class index of the {@code i}-th demanded class. */
    public int demandedClass(int i) {
        return demanded[i];
    }

    public int scoringCount() {
        return scoring.length;
    }

    /** The class index of the {@code i}-th scoring class. */
    public int scoringClass(int i) {
        return scoring[i];
    }

    /** Classes asked for that no host in the snapshot offers: no host can fit this demand. */
    public List<ResourceClass> unknownClasses() {
        return unknownClasses;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < demanded.length; i++) {
            text.append(i == 0 ? "" : ", ")
                    .append(classes.get(demanded[i]))
                    .append('=')
                    .append(amounts[demanded[i]]);
        }
        unknownClasses.forEach(c -> text.append(", ").append(c).append("=?"));
        return text.append('}').toString();
    }
}
