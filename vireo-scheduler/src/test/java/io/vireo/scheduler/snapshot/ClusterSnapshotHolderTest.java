package io.vireo.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.scheduler.testing.Seeds;
import io.vireo.scheduler.testing.TestHosts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The incremental holder: what it converts, and that it always equals a snapshot built from the list afresh. */
class ClusterSnapshotHolderTest {
    private static Host host(String name, Resources allocated, long generation, String... capabilities) {
        return new Host(
                TestHosts.id(name),
                name,
                Instant.EPOCH,
                HostState.UP,
                new Resources(32, 131_072, 2_000),
                allocated,
                generation,
                List.of(capabilities),
                "fake",
                null,
                HostUsage.NONE,
                CapacityPolicy.NONE,
                false);
    }

    /** The store's record of {@code host} after a claim of {@code resources}. */
    private static Host claimed(Host host, Resources resources) {
        return new Host(
                host.id(),
                host.name(),
                host.createdAt(),
                host.state(),
                host.capacity(),
                host.allocated().plus(resources),
                host.resourceGeneration() + 1,
                host.capabilities(),
                host.driver(),
                Instant.ofEpochSecond(host.resourceGeneration()), // heartbeats change nothing the scheduler reads
                host.usage(),
                host.capacityPolicy(),
                host.capacityPolicyOverridden());
    }

    private static Host withState(Host host, HostState state) {
        return new Host(
                host.id(),
                host.name(),
                host.createdAt(),
                state,
                host.capacity(),
                host.allocated(),
                host.resourceGeneration(),
                host.capabilities(),
                host.driver(),
                host.lastHeartbeatAt(),
                host.usage(),
                host.capacityPolicy(),
                host.capacityPolicyOverridden());
    }

    private final Resources vm = new Resources(2, 4_096, 20);
    private final List<Host> hosts = List.of(
            host("a", Resources.ZERO, 0, "az:az-1"),
            host("b", Resources.ZERO, 0, "trait:cpu.avx2"),
            host("c", new Resources(4, 8_192, 40), 3));

    @Test
    void aSecondSyncOfTheSameHostsConvertsNothing() {
        ClusterSnapshotHolder holder = new ClusterSnapshotHolder();

        ClusterSnapshot first = holder.sync(hosts).snapshot();
        ClusterSnapshot second = holder.sync(List.copyOf(hosts)).snapshot();

        assertThat(second).isSameAs(first);
        assertThat(holder.rebuilds()).isEqualTo(1);
        assertThat(holder.hostsConverted()).isZero();
    }

    @Test
    void anAppliedClaimMatchesTheStoresRecordSoTheNextSyncConvertsNothing() {
        ClusterSnapshotHolder holder = new ClusterSnapshotHolder();
        ClusterSnapshot before = holder.sync(hosts).snapshot();

        ClusterSnapshot after = holder.applyClaim(hosts.get(1).id(), 0, vm);
        holder.sync(List.of(hosts.get(0), claimed(hosts.get(1), vm), hosts.get(2)));

        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(after.free(ClusterSnapshot.MEMORY_MIB, 1)).isEqualTo(131_072 - 4_096);
        assertThat(after.resourceGeneration(1)).isEqualTo(1);
        assertThat(holder.current()).isSameAs(after);
        assertThat(holder.hostsConverted()).isZero();
    }

    @Test
    void aClaimOnAnotherGenerationIsNotAppliedAndTheHostIsConvertedAtTheNextSync() {
        ClusterSnapshotHolder holder = new ClusterSnapshotHolder();
        ClusterSnapshot before = holder.sync(hosts).snapshot();

        assertThat(holder.applyClaim(hosts.get(2).id(), 2, vm)).isSameAs(before);
        Host raced = claimed(claimed(hosts.get(2), vm), vm);
        ClusterSnapshot synced =
                holder.sync(List.of(hosts.get(0), hosts.get(1), raced)).snapshot();

        assertThat(holder.hostsConverted()).isEqualTo(1);
        assertThat(synced.resourceGeneration(2)).isEqualTo(5);
        assertThat(synced.used(ClusterSnapshot.VCPU, 2)).isEqualTo(8);
    }

    @Test
    void releasesUpsertsAndRemovalsAreNewVersions() {
        ClusterSnapshotHolder holder = new ClusterSnapshotHolder();
        holder.sync(hosts);

        ClusterSnapshot released = holder.applyRelease(hosts.get(2).id(), 3, vm);
        assertThat(released.used(ClusterSnapshot.VCPU, 2)).isEqualTo(2);
        assertThat(released.resourceGeneration(2)).isEqualTo(4);

        ClusterSnapshot down = holder.upsert(withState(hosts.get(0), HostState.DOWN));
        assertThat(down.state(0)).isEqualTo(HostState.DOWN);
        assertThat(down.version()).isEqualTo(released.version() + 1);

        ClusterSnapshot grown = holder.upsert(host("d", Resources.ZERO, 0));
        assertThat(grown.hostCount()).isEqualTo(4);
        assertThat(grown.indexOf(TestHosts.id("d"))).isEqualTo(3);

        ClusterSnapshot shrunk = holder.remove(hosts.get(1).id());
        assertThat(shrunk.hostCount()).isEqualTo(3);
        assertThat(shrunk.indexOf(hosts.get(1).id())).isEqualTo(-1);
        assertThat(shrunk.state(shrunk.indexOf(hosts.get(0).id()))).isEqualTo(HostState.DOWN);
    }

    @Test
    void changedCapabilitiesAreConverted() {
        ClusterSnapshotHolder holder = new ClusterSnapshotHolder();
        holder.sync(hosts);

        ClusterSnapshot synced = holder.sync(
                        List.of(hosts.get(0), host("b", Resources.ZERO, 0, "trait:cpu.avx512"), hosts.get(2)))
                .snapshot();

        assertThat(synced.inventory(1).traits()).containsExactly("cpu.avx512");
    }

    /**
     * Random claims (applied or raced), releases, state changes, new and removed hosts: after every sync the holder's
     * snapshot holds exactly what a snapshot built from the list afresh holds.
     */
    @Test
    void alwaysEqualsASnapshotBuiltAfresh() {
        Seeds.forEach(100, seed -> {
            RandomGenerator random = Seeds.random(seed);
            List<Host> store = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(40); i++) {
                store.add(host("h" + i, Resources.ZERO, random.nextInt(5), "az:az-" + random.nextInt(3)));
            }
            int next = store.size();
            ClusterSnapshotHolder holder = new ClusterSnapshotHolder();
            for (int step = 0; step < 30; step++) {
                holder.sync(store);
                assertSameHosts(holder.current(), ClusterSnapshot.fromHosts(store));
                for (int change = 0; change < 1 + random.nextInt(4) && !store.isEmpty(); change++) {
                    int i = random.nextInt(store.size());
                    Host host = store.get(i);
                    switch (random.nextInt(6)) {
                        case 0, 1 -> { // our claim, reported to the holder
                            store.set(i, claimed(host, vm));
                            holder.applyClaim(host.id(), host.resourceGeneration(), vm);
                        }
                        case 2 -> store.set(i, claimed(host, vm)); // someone else's claim
                        case 3 -> store.set(i, withState(host, HostState.values()[random.nextInt(3)]));
                        case 4 -> store.add(host("h" + next++, Resources.ZERO, 0, "trait:t" + random.nextInt(3)));
                        default -> store.remove(i);
                    }
                }
            }
        });
    }

    private static void assertSameHosts(ClusterSnapshot actual, ClusterSnapshot expected) {
        Comparator<HostInventory> byId = Comparator.comparing(HostInventory::id);
        assertThat(actual.inventories().stream().sorted(byId).toList())
                .isEqualTo(expected.inventories().stream().sorted(byId).toList());
    }
}
