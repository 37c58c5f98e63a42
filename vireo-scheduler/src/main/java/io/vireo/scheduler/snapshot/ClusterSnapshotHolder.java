package io.vireo.scheduler.snapshot;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.model.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The latest {@link ClusterSnapshot} of the control plane's hosts, moved forward change by change instead of rebuilt
 * from the whole host list for every placement: a claim, a release or an upserted host becomes a new snapshot version
 * that copies one page per touched column ({@link ClusterSnapshot#withClaim}, {@link ClusterSnapshot#withHost}); a new
 * or removed host, or many changed hosts at once, rebuild it.
 *
 * <p>{@link #sync} reconciles with the store's host list: a host is converted again only when its resource generation
 * or state disagrees with the snapshot, or its capacity, capabilities or name changed. A claim whose generation
 * disagrees with the snapshot's (someone else claimed meanwhile) is not applied; the host is marked stale and the next
 * {@link #sync} or {@link #upsert} converts it afresh.
 *
 * <p>Threading: thread-safe; changes are serialised on this holder, and every snapshot handed out is immutable, so a
 * reader keeps placing on the version it got while the holder moves on.
 */
public final class ClusterSnapshotHolder {
    /**
     * A sync rebuilds the whole snapshot, instead of patching each changed host, when more than one host in this many
     * and more than {@link #PATCH_AT_MOST} hosts changed.
     */
    static final int REBUILD_WHEN_ONE_IN_CHANGED = 8;

    static final int PATCH_AT_MOST = 16;

    /** A snapshot and, per host number, the store's record of that host. */
    public record View(ClusterSnapshot snapshot, List<Host> hosts) {
        public View {
            requireNonNull(snapshot, "snapshot is null");
            hosts = List.copyOf(hosts);
            if (hosts.size() != snapshot.hostCount()) {
                throw new IllegalArgumentException(hosts.size() + " hosts for " + snapshot.hostCount() + " numbers");
            }
        }
    }

    private ClusterSnapshot snapshot = ClusterSnapshot.of(List.of());
    /** Per host number, the record its static facts were converted from; null: stale, convert at the next sync. */
    private @Nullable Host[] converted = new Host[0];

    private long rebuilds;
    private long hostsConverted;

    public ClusterSnapshotHolder() {}

    public synchronized ClusterSnapshot current() {
        return snapshot;
    }

    /** How many times the whole snapshot was built from a host list (for tests and benchmarks). */
    public synchronized long rebuilds() {
        return rebuilds;
    }

    /** How many single hosts were converted into an existing snapshot (for tests and benchmarks). */
    public synchronized long hostsConverted() {
        return hostsConverted;
    }

    /**
     * Brings the snapshot in line with {@code hosts}, the store's current list: converts only the hosts that changed,
     * and rebuilds (numbering the hosts in list order) when the set of hosts differs or many changed.
     */
    public synchronized View sync(List<Host> hosts) {
        int[] numbers = numbers(hosts);
        if (numbers == null) {
            rebuild(hosts);
            return new View(snapshot, hosts);
        }
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            if (!current(numbers[i], hosts.get(i))) {
                changed.add(i);
            }
        }
        if (changed.size() > Math.max(PATCH_AT_MOST, hosts.size() / REBUILD_WHEN_ONE_IN_CHANGED)) {
            rebuild(hosts);
            return new View(snapshot, hosts);
        }
        for (int i : changed) {
            convert(numbers[i], hosts.get(i));
        }
        Host[] byNumber = new Host[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            byNumber[numbers[i]] = hosts.get(i);
        }
        return new View(snapshot, Arrays.asList(byNumber));
    }

    /**
     * Applies a successful claim of {@code resources} on {@code hostId}, made expecting {@code generationBefore}. If the
     * snapshot's generation disagrees, the host is marked stale instead. Unknown hosts are ignored.
     */
    public synchronized ClusterSnapshot applyClaim(UUID hostId, long generationBefore, Resources resources) {
        return applyDelta(hostId, generationBefore, resources, true);
    }

    /** Applies the release of a claim of {@code resources} on {@code hostId}; as {@link #applyClaim} otherwise. */
    public synchronized ClusterSnapshot applyRelease(UUID hostId, long generationBefore, Resources resources) {
        return applyDelta(hostId, generationBefore, resources, false);
    }

    /** Takes {@code host} as the store now has it: patches its slots, or rebuilds when it is new. */
    public synchronized ClusterSnapshot upsert(Host host) {
        int number = snapshot.indexOf(host.id());
        if (number < 0) {
            snapshot = snapshot.withHost(HostConversion.inventory(host));
            Host[] grown = Arrays.copyOf(converted, converted.length + 1);
            grown[converted.length] = host;
            converted = grown;
            rebuilds++;
            return snapshot;
        }
        if (!current(number, host)) {
            convert(number, host);
        }
        return snapshot;
    }

    /** Drops the host {@code hostId} (rebuilds; later hosts are renumbered). Unknown hosts are ignored. */
    public synchronized ClusterSnapshot remove(UUID hostId) {
        int number = snapshot.indexOf(hostId);
        if (number >= 0) {
            snapshot = snapshot.withoutHost(hostId);
            Host[] shrunk = new Host[converted.length - 1];
            System.arraycopy(converted, 0, shrunk, 0, number);
            System.arraycopy(converted, number + 1, shrunk, number, shrunk.length - number);
            converted = shrunk;
            rebuilds++;
        }
        return snapshot;
    }

    private ClusterSnapshot applyDelta(UUID hostId, long generationBefore, Resources resources, boolean claim) {
        int number = snapshot.indexOf(hostId);
        if (number < 0) {
            return snapshot;
        }
        if (snapshot.resourceGeneration(number) != generationBefore) {
            converted[number] = null;
            return snapshot;
        }
        ResourceDemand demand = snapshot.demand(demand(resources));
        snapshot = claim ? snapshot.withClaim(number, demand) : snapshot.withRelease(number, demand);
        return snapshot;
    }

    /** The amounts of {@code resources} per standard class. */
    public static Map<ResourceClass, Long> demand(Resources resources) {
        Map<ResourceClass, Long> demand = new LinkedHashMap<>();
        demand.put(ResourceClass.VCPU, (long) resources.vcpus());
        demand.put(ResourceClass.MEMORY_MIB, resources.memoryMib());
        demand.put(ResourceClass.DISK_GIB, resources.diskGib());
        return demand;
    }

    /** Per listed host its number in the snapshot, or null if the listed set differs from the snapshot's. */
    private int @Nullable [] numbers(List<Host> hosts) {
        int n = snapshot.hostCount();
        if (hosts.size() != n) {
            return null;
        }
        int[] numbers = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            UUID id = hosts.get(i).id();
            int number = snapshot.hostId(i).equals(id) ? i : snapshot.indexOf(id);
            if (number < 0 || seen[number]) {
                return null;
            }
            seen[number] = true;
            numbers[i] = number;
        }
        return numbers;
    }

    /** Whether the snapshot's slots for {@code number} already say what {@code host} says. */
    private boolean current(int number, Host host) {
        Host known = converted[number];
        return known != null
                && snapshot.resourceGeneration(number) == host.resourceGeneration()
                && snapshot.state(number) == host.state()
                && known.capacity().equals(host.capacity())
                && known.capacityPolicy().equals(host.capacityPolicy())
                && known.capabilities().equals(host.capabilities())
                && known.name().equals(host.name());
    }

    private void convert(int number, Host host) {
        snapshot = snapshot.withHost(HostConversion.inventory(host));
        converted[number] = host;
        hostsConverted++;
    }

    private void rebuild(List<Host> hosts) {
        snapshot = ClusterSnapshot.rebuilt(HostConversion.inventories(hosts), snapshot.version() + 1);
        converted = hosts.toArray(Host[]::new);
        rebuilds++;
    }
}
