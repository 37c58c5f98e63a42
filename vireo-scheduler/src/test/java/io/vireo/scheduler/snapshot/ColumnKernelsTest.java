package io.vireo.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The columns' page-run kernels agree with a per-slot loop over {@code get}, whatever the order of the host list: in
 * runs within a page, across page boundaries, wrapping back to 0, repeated, in any order.
 */
class ColumnKernelsTest {
    private static final int SIZE = LongColumn.PAGE_SIZE * 3 + 17;

    @Test
    void kernelsAgreeWithPerSlotReads() {
        Seeds.forEach(200, seed -> {
            RandomGenerator random = Seeds.random(seed);
            long[] longs = new long[SIZE];
            int[] ints = new int[SIZE];
            int[] states = new int[SIZE];
            int uniformPage = random.nextInt(3); // one page holds one state: retainInMask may skip reading it
            for (int i = 0; i < SIZE; i++) {
                longs[i] = random.nextLong(-5, 100);
                ints[i] = random.nextInt(-1, 4);
                states[i] = i >>> LongColumn.PAGE_SHIFT == uniformPage ? 1 : random.nextInt(0, 6);
            }
            LongColumn longColumn = LongColumn.of(longs);
            IntColumn intColumn = IntColumn.of(ints);
            IntColumn stateColumn = IntColumn.of(states);
            if (random.nextBoolean()) { // a changed slot on the uniform page keeps what the page holds exact
                int changed = (uniformPage << LongColumn.PAGE_SHIFT) + random.nextInt(LongColumn.PAGE_SIZE);
                states[changed] = random.nextInt(0, 6);
                stateColumn = stateColumn.with(changed, states[changed]);
            }
            int[] hosts = hosts(random);
            long min = random.nextLong(-5, 100);
            long mask = random.nextLong() & 0b111111 | (random.nextBoolean() ? 0b10 : 0);
            boolean[] allowed = {random.nextBoolean(), random.nextBoolean(), true, false, random.nextBoolean()};

            int[] atLeast = hosts.clone();
            int atLeastCount = longColumn.retainAtLeast(min, atLeast, hosts.length);
            assertThat(java.util.Arrays.copyOf(atLeast, atLeastCount))
                    .containsExactly(filter(hosts, h -> longs[h] >= min));
            int[] inMask = hosts.clone();
            int inMaskCount = stateColumn.retainInMask(mask, inMask, hosts.length);
            assertThat(java.util.Arrays.copyOf(inMask, inMaskCount))
                    .containsExactly(filter(hosts, h -> ((mask >>> states[h]) & 1) == 1));
            int[] allowedKept = hosts.clone();
            int count = intColumn.retainAllowed(allowed, allowedKept, hosts.length);
            assertThat(java.util.Arrays.copyOf(allowedKept, count))
                    .containsExactly(filter(hosts, h -> allowed[ints[h] + 1]));
            double[] gathered = new double[hosts.length];
            intColumn.gather(hosts, hosts.length, gathered);
            for (int i = 0; i < hosts.length; i++) {
                assertThat(gathered[i]).isEqualTo(ints[hosts[i]]);
            }
        });
    }

    @Test
    void shareSumsDoNotDependOnHowTheHostListRuns() {
        Seeds.forEach(100, seed -> {
            RandomGenerator random = Seeds.random(seed);
            ClusterSnapshot snapshot = ClusterSnapshot.of(
                    new io.vireo.scheduler.testing.ClusterGenerator(random).hosts(random.nextInt(1, SIZE)));
            var request = new io.vireo.scheduler.testing.RequestGenerator(random).request(snapshot.inventories());
            ResourceDemand demand = snapshot.demand(request.demand());
            int[] hosts = consecutiveStretches(random, snapshot.hostCount());
            ShareSums all = new ShareSums();
            snapshot.sumShares(demand, hosts, hosts.length, all);
            ShareSums one = new ShareSums();
            for (int i = 0; i < hosts.length; i++) {
                snapshot.sumShares(demand, new int[] {hosts[i]}, 1, one); // a run of one: the gathering kernel
                assertThat(all.freeSums()[i]).isEqualTo(one.freeSums()[0]);
                assertThat(all.usedSums()[i]).isEqualTo(one.usedSums()[0]);
                assertThat(all.usedSquares()[i]).isEqualTo(one.usedSquares()[0]);
            }
        });
    }

    /** A wrapping scan that keeps long stretches of consecutive hosts and drops single hosts here and there. */
    private static int[] consecutiveStretches(RandomGenerator random, int size) {
        List<Integer> hosts = new ArrayList<>();
        int start = random.nextInt(size);
        int dropOneIn = random.nextInt(2, 200);
        for (int i = 0; i < size; i++) {
            if (random.nextInt(dropOneIn) != 0) {
                hosts.add((start + i) % size);
            }
        }
        return hosts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] filter(int[] hosts, java.util.function.IntPredicate keep) {
        return java.util.Arrays.stream(hosts).filter(keep).toArray();
    }

    private static int[] hosts(RandomGenerator random) {
        List<Integer> hosts = new ArrayList<>();
        int start = random.nextInt(SIZE);
        int length = random.nextInt(1, SIZE + 1);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) != 0) {
                hosts.add((start + i) % SIZE); // a wrapping scan with gaps
            }
        }
        for (int i = 0; i < random.nextInt(20); i++) {
            hosts.add(random.nextInt(hosts.size() + 1), random.nextInt(SIZE)); // anywhere, any page
        }
        return hosts.stream().mapToInt(Integer::intValue).toArray();
    }
}
