package io.vireo.scheduler.snapshot;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable, versioned view of every host, in structure-of-arrays form: for each resource class a column of
 * capacities and a column of free amounts, one slot per host; trait and aggregate bitsets; zone, state, resource
 * generation and recent-failure columns. Hosts are numbered {@code 0..hostCount()-1} in the order they were given;
 * plugins read columns by that number, so the hot path touches only primitive arrays.
 *
 * <p>Deriving: {@link #withClaim}, {@link #withRelease}, {@link #withHostState} and {@link #withRecentFailures} return a
 * new snapshot that copies only the one page of each column the change touches ({@link LongColumn}) and shares
 * everything else, including the {@link HostTable} of static facts. {@link #withHost} and {@link #withoutHost} rebuild
 * when a host's static facts change.
 *
 * <p>Invariants: every column has {@code hostCount()} slots; resource class indexes 0, 1, 2 are VCPU, MEMORY_MIB,
 * DISK_GIB; {@code free(c, h) == capacity(c, h) - used(c, h)}; each derivation has a {@link #version()} one higher than
 * its source and a claim or release raises the host's resource generation by one, as the store's claim does.
 * Immutable and thread-safe.
 */
public final class ClusterSnapshot {
    public static final int VCPU = 0;
    public static final int MEMORY_MIB = 1;
    public static final int DISK_GIB = 2;

    /** The most hosts one snapshot holds. */
    public static final int MAX_HOSTS = 1_000_000;

    private static final HostState[] STATES = HostState.values();

    /** Shorter stretches of consecutive hosts than this are not worth the vectorised kernel's set-up. */
    private static final int MIN_CONSECUTIVE_RUN = 16;

    private final HostTable table;
    private final LongColumn[] free;
    private final LongColumn generation;
    private final IntColumn state;
    private final IntColumn recentFailures;
    private final int hostsWithRecentFailures;
    private final long version;

    private ClusterSnapshot(
            HostTable table,
            LongColumn[] free,
            LongColumn generation,
            IntColumn state,
            IntColumn recentFailures,
            int hostsWithRecentFailures,
            long version) {
        this.table = table;
        this.free = free;
        this.generation = generation;
        this.state = state;
        this.recentFailures = recentFailures;
        this.hostsWithRecentFailures = hostsWithRecentFailures;
        this.version = version;
    }

    /** A snapshot of {@code hosts}, numbered in list order, at version 0. */
    public static ClusterSnapshot of(List<HostInventory> hosts) {
        return of(hosts, 0);
    }

    /** A snapshot of {@code hosts} at {@code version}, for a holder that rebuilds its latest snapshot. */
    static ClusterSnapshot rebuilt(List<HostInventory> hosts, long version) {
        return of(hosts, version);
    }

    private static ClusterSnapshot of(List<HostInventory> hosts, long version) {
        if (hosts.size() > MAX_HOSTS) {
            throw VireoException.invalid("hosts", "at most " + MAX_HOSTS + " hosts in a snapshot, got " + hosts.size());
        }
        HostTable table = HostTable.of(hosts);
        int n = hosts.size();
        LongColumn[] free = new LongColumn[table.classes.size()];
        for (int c = 0; c < free.length; c++) {
            long[] values = new long[n];
            for (int h = 0; h < n; h++) {
                values[h] = hosts.get(h).resource(table.classes.get(c)).free();
            }
            free[c] = LongColumn.of(values);
        }
        long[] generations = new long[n];
        int[] states = new int[n];
        int[] failures = new int[n];
        int failing = 0;
        for (int h = 0; h < n; h++) {
            generations[h] = hosts.get(h).resourceGeneration();
            states[h] = stateCode(hosts.get(h).state());
            failures[h] = hosts.get(h).recentFailures();
            failing += failures[h] > 0 ? 1 : 0;
        }
        return new ClusterSnapshot(
                table,
                free,
                LongColumn.of(generations),
                IntColumn.of(states),
                IntColumn.of(failures),
                failing,
                version);
    }

    /** A snapshot of the control plane's hosts, each under its own capacity policy; see {@link HostConversion}. */
    public static ClusterSnapshot fromHosts(List<Host> hosts) {
        return of(HostConversion.inventories(hosts));
    }

    // ---- identity and catalogs

    public int hostCount() {
        return table.hostCount();
    }

    public long version() {
        return version;
    }

    public UUID hostId(int host) {
        return table.ids.get(host);
    }

    public String hostName(int host) {
        return table.names.get(host);
    }

    /** The number of the host with {@code id}, or -1 if this snapshot does not have it. */
    public int indexOf(UUID id) {
        Integer index = table.indexById.get(id);
        return index == null ? -1 : index;
    }

    public List<ResourceClass> resourceClasses() {
        return table.classes;
    }

    /** The index of {@code resourceClass}, or -1 if no host offers it. */
    public int resourceClassIndex(ResourceClass resourceClass) {
        Integer index = table.classIndexes.get(resourceClass);
        return index == null ? -1 : index;
    }

    public Catalog traits() {
        return table.traits;
    }

    public Catalog zones() {
        return table.zones;
    }

    public Catalog aggregates() {
        return table.aggregates;
    }

    /** Compiles an amount per class (standard and custom) against this snapshot's classes. */
    public ResourceDemand demand(Map<ResourceClass, Long> amounts) {
        return ResourceDemand.compile(table.classes, table.classIndexes, amounts);
    }

    // ---- columns, for plugins' loops

    public LongColumn capacityColumn(int resourceClass) {
        return table.capacity[resourceClass];
    }

    public LongColumn freeColumn(int resourceClass) {
        return free[resourceClass];
    }

    /** {@code 1.0 / capacity}, or 0 where the capacity is 0: lets scorers multiply instead of divide. */
    public DoubleColumn inverseCapacityColumn(int resourceClass) {
        return table.inverseCapacity[resourceClass];
    }

    /** {@link #stateCode(HostState)} per host. */
    public IntColumn stateColumn() {
        return state;
    }

    /** The zone index per host in {@link #zones()}, or -1. */
    public IntColumn zoneColumn() {
        return table.zone;
    }

    public IntColumn recentFailuresColumn() {
        return recentFailures;
    }

    public BitMatrix traitBits() {
        return table.traitBits;
    }

    public BitMatrix aggregateBits() {
        return table.aggregateBits;
    }

    // ---- kernels, for plugins' hot loops

    /**
     * Keeps, in order, the hosts of {@code hosts[0..count)} with {@code free >= amount} for every class {@code demand}
     * asks a positive amount of, and returns how many that is: one pass per four classes, not one per class.
     */
    public int retainFitting(ResourceDemand demand, int[] hosts, int count) {
        checkCompiledHere(demand);
        int classes = demand.demandedCount();
        int kept = count;
        for (int g = 0; g < classes && kept > 0; g += 4) {
            int c0 = demand.demandedClass(g);
            int c1 = g + 1 < classes ? demand.demandedClass(g + 1) : c0;
            int c2 = g + 2 < classes ? demand.demandedClass(g + 2) : c0;
            int c3 = g + 3 < classes ? demand.demandedClass(g + 3) : c0;
            kept = ColumnKernels.retainAtLeast4(
                    free[c0],
                    demand.amount(c0),
                    free[c1],
                    demand.amount(c1),
                    free[c2],
                    demand.amount(c2),
                    free[c3],
                    demand.amount(c3),
                    hosts,
                    kept);
        }
        return kept;
    }

    /**
     * Fills {@code sums} for {@code hosts[0..count)}: per host the sums, over {@code demand}'s scoring classes in class
     * order, of the free share after placing the demand, and of the used share clamped to [0, 1] and its square. A
     * class the host has none of has free share 0 (inverse capacity 0) and so counts as fully used.
     */
    public void sumShares(ResourceDemand demand, int[] hosts, int count, ShareSums sums) {
        checkCompiledHere(demand);
        sums.ensureHosts(count);
        int i = 0;
        while (i < count) {
            int page = hosts[i] >>> LongColumn.PAGE_SHIFT;
            int base = page << LongColumn.PAGE_SHIFT;
            int end = ColumnKernels.runEnd(hosts, i, count, base, free[0].page(page).length);
            // In a dense run, long stretches of consecutive hosts take the vectorised kernel and the rest the gathering
            // one; a sparse run (a full cluster) is not worth looking for stretches in.
            if (!dense(hosts, i, end)) {
                gatherShares(demand, page, base, hosts, i, end, sums);
                i = end;
                continue;
            }
            int gatherFrom = i;
            int j = i;
            while (j < end) {
                int k = j + 1;
                while (k < end && hosts[k] == hosts[k - 1] + 1) {
                    k++;
                }
                if (k - j >= MIN_CONSECUTIVE_RUN) {
                    gatherShares(demand, page, base, hosts, gatherFrom, j, sums);
                    consecutiveShares(demand, page, hosts[j], base, j, k - j, sums);
                    gatherFrom = k;
                }
                j = k;
            }
            gatherShares(demand, page, base, hosts, gatherFrom, end, sums);
            i = end;
        }
    }

    /**
     * Whether {@code hosts[from..to)} holds at least three quarters of the numbers between its first and last host and
     * at least {@link #MIN_CONSECUTIVE_RUN} hosts. Only a hint for which kernel to try: stretches are still checked.
     */
    private static boolean dense(int[] hosts, int from, int to) {
        long length = to - from;
        long span = (long) hosts[to - 1] - hosts[from] + 1;
        return length >= MIN_CONSECUTIVE_RUN && length * 4 >= span * 3;
    }

    private void consecutiveShares(
            ResourceDemand demand, int page, int host, int base, int from, int length, ShareSums sums) {
        for (int j = 0; j < demand.scoringCount(); j++) {
            int c = demand.scoringClass(j);
            ColumnKernels.addSharesContiguous(
                    free[c].page(page),
                    host - base,
                    table.inverseCapacity[c].values(),
                    host,
                    demand.amount(c),
                    from,
                    length,
                    j == 0,
                    sums);
        }
    }

    private void gatherShares(
            ResourceDemand demand, int page, int base, int[] hosts, int from, int to, ShareSums sums) {
        if (from >= to) {
            return;
        }
        switch (demand.scoringCount()) {
            case 3 -> shares3(demand, page, base, hosts, from, to, sums);
            case 4 -> shares4(demand, page, base, hosts, from, to, sums);
            default -> {
                for (int j = 0; j < demand.scoringCount(); j++) {
                    int c = demand.scoringClass(j);
                    ColumnKernels.addShares(
                            free[c].page(page),
                            base,
                            table.inverseCapacity[c].values(),
                            demand.amount(c),
                            hosts,
                            from,
                            to,
                            j == 0,
                            sums);
                }
            }
        }
    }

    private void shares3(ResourceDemand demand, int page, int base, int[] hosts, int from, int to, ShareSums sums) {
        int c0 = demand.scoringClass(0);
        int c1 = demand.scoringClass(1);
        int c2 = demand.scoringClass(2);
        ColumnKernels.shares3(
                free[c0].page(page),
                table.inverseCapacity[c0].values(),
                demand.amount(c0),
                free[c1].page(page),
                table.inverseCapacity[c1].values(),
                demand.amount(c1),
                free[c2].page(page),
                table.inverseCapacity[c2].values(),
                demand.amount(c2),
                base,
                hosts,
                from,
                to,
                sums);
    }

    private void shares4(ResourceDemand demand, int page, int base, int[] hosts, int from, int to, ShareSums sums) {
        int c0 = demand.scoringClass(0);
        int c1 = demand.scoringClass(1);
        int c2 = demand.scoringClass(2);
        int c3 = demand.scoringClass(3);
        ColumnKernels.shares4(
                free[c0].page(page),
                table.inverseCapacity[c0].values(),
                demand.amount(c0),
                free[c1].page(page),
                table.inverseCapacity[c1].values(),
                demand.amount(c1),
                free[c2].page(page),
                table.inverseCapacity[c2].values(),
                demand.amount(c2),
                free[c3].page(page),
                table.inverseCapacity[c3].values(),
                demand.amount(c3),
                base,
                hosts,
                from,
                to,
                sums);
    }

    private void checkCompiledHere(ResourceDemand demand) {
        if (!demand.classes().equals(table.classes)) {
            throw new IllegalArgumentException("demand was compiled for other resource classes: " + demand.classes());
        }
    }

    // ---- per-host reads

    public long total(int resourceClass, int host) {
        return table.total[resourceClass].get(host);
    }

    public long reserved(int resourceClass, int host) {
        return table.reserved[resourceClass].get(host);
    }

    public double allocationRatio(int resourceClass, int host) {
        return table.ratio[resourceClass].get(host);
    }

    public long capacity(int resourceClass, int host) {
        return table.capacity[resourceClass].get(host);
    }

    public double inverseCapacity(int resourceClass, int host) {
        return table.inverseCapacity[resourceClass].get(host);
    }

    public long free(int resourceClass, int host) {
        return free[resourceClass].get(host);
    }

    public long used(int resourceClass, int host) {
        return table.capacity[resourceClass].get(host) - free[resourceClass].get(host);
    }

    /**
     * The code {@link #stateColumn()} holds for {@code state}: its ordinal, so that a filter can test a host's state
     * with one shift of a mask. A snapshot lives in one process, so ordinals never cross a version boundary.
     */
    @SuppressWarnings("EnumOrdinal")
    public static int stateCode(HostState state) {
        return state.ordinal();
    }

    public HostState state(int host) {
        return STATES[state.get(host)];
    }

    public long resourceGeneration(int host) {
        return generation.get(host);
    }

    public int recentFailures(int host) {
        return recentFailures.get(host);
    }

    /** How many hosts have a recent failure: 0 lets scorers of failures skip. */
    public int hostsWithRecentFailures() {
        return hostsWithRecentFailures;
    }

    /** Host {@code host} in object form. */
    public HostInventory inventory(int host) {
        long[] used = new long[table.classes.size()];
        for (int c = 0; c < used.length; c++) {
            used[c] = used(c, host);
        }
        return table.inventory(host, used, state(host), resourceGeneration(host), recentFailures(host));
    }

    public List<HostInventory> inventories() {
        List<HostInventory> hosts = new ArrayList<>(hostCount());
        for (int h = 0; h < hostCount(); h++) {
            hosts.add(inventory(h));
        }
        return hosts;
    }

    // ---- derivations

    /** This snapshot after a claim of {@code demand} on {@code host}: its free amounts fall, its generation rises. */
    public ClusterSnapshot withClaim(int host, ResourceDemand demand) {
        return withDelta(host, demand, -1);
    }

    /** This snapshot after the release of a claim of {@code demand} on {@code host}. */
    public ClusterSnapshot withRelease(int host, ResourceDemand demand) {
        return withDelta(host, demand, 1);
    }

    private ClusterSnapshot withDelta(int host, ResourceDemand demand, int sign) {
        Objects.checkIndex(host, hostCount());
        checkCompiledHere(demand);
        LongColumn[] newFree = free.clone();
        for (int i = 0; i < demand.demandedCount(); i++) {
            int c = demand.demandedClass(i);
            long amount = sign * demand.amount(c);
            newFree[c] = free[c].with(host, Math.addExact(free[c].get(host), amount));
        }
        LongColumn newGeneration = generation.with(host, generation.get(host) + 1);
        return new ClusterSnapshot(
                table, newFree, newGeneration, state, recentFailures, hostsWithRecentFailures, version + 1);
    }

    public ClusterSnapshot withHostState(int host, HostState newState) {
        requireNonNull(newState, "newState is null");
        return new ClusterSnapshot(
                table,
                free,
                generation,
                state.with(host, stateCode(newState)),
                recentFailures,
                hostsWithRecentFailures,
                version + 1);
    }

    public ClusterSnapshot withRecentFailures(int host, int count) {
        if (count < 0) {
            throw VireoException.invalid("recentFailures", "must not be negative, got " + count);
        }
        int failing = hostsWithRecentFailures - (recentFailures.get(host) > 0 ? 1 : 0) + (count > 0 ? 1 : 0);
        return new ClusterSnapshot(
                table, free, generation, state, recentFailures.with(host, count), failing, version + 1);
    }

    /**
     * This snapshot with {@code host} as the store now has it. When only its state, usage, generation or failures
     * changed (the common case, such as after a lost claim race) only its slots are copied; a new host or new static
     * facts (capacity, traits, zone, aggregates) rebuild the snapshot.
     */
    public ClusterSnapshot withHost(HostInventory host) {
        int h = indexOf(host.id());
        if (h < 0 || !table.inventory(h, usedOf(host), host.state(), 0, 0).equals(staticView(host))) {
            List<HostInventory> hosts = inventories();
            if (h < 0) {
                hosts.add(host);
            } else {
                hosts.set(h, host);
            }
            return of(hosts, version + 1);
        }
        LongColumn[] newFree = free.clone();
        for (int c = 0; c < newFree.length; c++) {
            long value = host.resource(table.classes.get(c)).free();
            if (value != free[c].get(h)) {
                newFree[c] = free[c].with(h, value);
            }
        }
        int failing =
                hostsWithRecentFailures - (recentFailures.get(h) > 0 ? 1 : 0) + (host.recentFailures() > 0 ? 1 : 0);
        return new ClusterSnapshot(
                table,
                newFree,
                generation.with(h, host.resourceGeneration()),
                state.with(h, stateCode(host.state())),
                recentFailures.with(h, host.recentFailures()),
                failing,
                version + 1);
    }

    /** This snapshot without the host {@code id} (rebuilds; the hosts after it are renumbered). */
    public ClusterSnapshot withoutHost(UUID id) {
        int h = indexOf(id);
        if (h < 0) {
            return this;
        }
        List<HostInventory> hosts = inventories();
        hosts.remove(h);
        return of(hosts, version + 1);
    }

    private long[] usedOf(HostInventory host) {
        long[] used = new long[table.classes.size()];
        for (int c = 0; c < used.length; c++) {
            used[c] = host.resource(table.classes.get(c)).used();
        }
        return used;
    }

    /** {@code host} normalised as {@link HostTable#inventory} renders it, with generation and failures zeroed. */
    private HostInventory staticView(HostInventory host) {
        for (ResourceClass resourceClass : host.resources().keySet()) {
            if (!table.classIndexes.containsKey(resourceClass)) {
                return host; // a new class: never equal to a rendering, so the caller rebuilds
            }
        }
        HostInventory.Builder builder =
                HostInventory.builder(host.id(), host.name()).state(host.state());
        for (int c = 0; c < table.classes.size(); c++) {
            ResourceInventory inventory = host.resource(table.classes.get(c));
            if (inventory.total() > 0 || inventory.used() > 0 || c < ResourceClass.STANDARD.size()) {
                builder.resource(table.classes.get(c), inventory);
            }
        }
        host.traits().forEach(builder::trait);
        host.aggregates().forEach(builder::aggregate);
        return builder.availabilityZone(host.availabilityZone()).build();
    }

    @Override
    public String toString() {
        return "ClusterSnapshot[hosts=" + hostCount() + ", classes=" + table.classes + ", version=" + version + "]";
    }
}
