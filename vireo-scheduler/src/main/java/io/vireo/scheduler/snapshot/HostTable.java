package io.vireo.scheduler.snapshot;

import io.vireo.common.VireoException;
import io.vireo.model.HostState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The facts of a cluster that only a new inventory changes: host identities, resource classes, totals, reservations,
 * ratios and capacities, traits, zones and aggregates. Every snapshot derived by a claim shares its table.
 *
 * <p>Invariants: every column has one slot per host; class indexes 0, 1, 2 are the standard classes; {@code
 * capacity = floor((total - reserved) * ratio)} and {@code inverseCapacity = capacity > 0 ? 1.0 / capacity : 0} per
 * slot; zone is -1 for a host in no zone. Immutable and thread-safe.
 */
final class HostTable {
    final List<UUID> ids;
    final List<String> names;
    final Map<UUID, Integer> indexById;
    final List<ResourceClass> classes;
    final Map<ResourceClass, Integer> classIndexes;
    final LongColumn[] total;
    final LongColumn[] reserved;
    final DoubleColumn[] ratio;
    final LongColumn[] capacity;
    final DoubleColumn[] inverseCapacity;
    final Catalog traits;
    final Catalog zones;
    final Catalog aggregates;
    final BitMatrix traitBits;
    final BitMatrix aggregateBits;
    final IntColumn zone;

    private HostTable(List<HostInventory> hosts, List<ResourceClass> classes) {
        int n = hosts.size();
        this.ids = hosts.stream().map(HostInventory::id).toList();
        this.names = hosts.stream().map(HostInventory::name).toList();
        this.indexById = indexById(ids);
        this.classes = List.copyOf(classes);
        Map<ResourceClass, Integer> byClass = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            byClass.put(classes.get(c), c);
        }
        this.classIndexes = Map.copyOf(byClass);
        int classCount = classes.size();
        this.total = new LongColumn[classCount];
        this.reserved = new LongColumn[classCount];
        this.ratio = new DoubleColumn[classCount];
        this.capacity = new LongColumn[classCount];
        this.inverseCapacity = new DoubleColumn[classCount];
        for (int c = 0; c < classCount; c++) {
            fillClass(hosts, c, n);
        }
        this.traits = Catalog.of(union(hosts, true));
        this.aggregates = Catalog.of(union(hosts, false));
        TreeSet<String> zoneNames = new TreeSet<>();
        hosts.forEach(host -> host.zone().ifPresent(zoneNames::add));
        this.zones = Catalog.of(zoneNames);
        this.traitBits = bits(hosts, traits, true);
        this.aggregateBits = bits(hosts, aggregates, false);
        int[] zoneIndexes = new int[n];
        for (int h = 0; h < n; h++) {
            String z = hosts.get(h).availabilityZone();
            zoneIndexes[h] = z == null ? -1 : zones.indexOf(z);
        }
        this.zone = IntColumn.of(zoneIndexes);
    }

    static HostTable of(List<HostInventory> hosts) {
        TreeSet<ResourceClass> classes = new TreeSet<>(ResourceClass.STANDARD);
        hosts.forEach(host -> classes.addAll(host.resources().keySet()));
        if (classes.size() > HostInventory.MAX_RESOURCE_CLASSES) {
            throw VireoException.invalid(
                    "resources", "at most " + HostInventory.MAX_RESOURCE_CLASSES + " resource classes in a cluster");
        }
        return new HostTable(hosts, new ArrayList<>(classes));
    }

    private static Map<UUID, Integer> indexById(List<UUID> ids) {
        Map<UUID, Integer> byId = new HashMap<>();
        for (int h = 0; h < ids.size(); h++) {
            if (byId.put(ids.get(h), h) != null) {
                throw VireoException.invalid("hosts", "host " + ids.get(h) + " appears twice");
            }
        }
        return Map.copyOf(byId);
    }

    private void fillClass(List<HostInventory> hosts, int c, int n) {
        long[] totals = new long[n];
        long[] reservations = new long[n];
        double[] ratios = new double[n];
        long[] capacities = new long[n];
        double[] inverses = new double[n];
        for (int h = 0; h < n; h++) {
            ResourceInventory inventory = hosts.get(h).resource(classes.get(c));
            totals[h] = inventory.total();
            reservations[h] = inventory.reserved();
            ratios[h] = inventory.allocationRatio();
            capacities[h] = inventory.capacity();
            inverses[h] = capacities[h] > 0 ? 1.0 / capacities[h] : 0.0;
        }
        total[c] = LongColumn.of(totals);
        reserved[c] = LongColumn.of(reservations);
        ratio[c] = DoubleColumn.of(ratios);
        capacity[c] = LongColumn.of(capacities);
        inverseCapacity[c] = DoubleColumn.of(inverses);
    }

    private static Set<String> union(List<HostInventory> hosts, boolean traits) {
        TreeSet<String> names = new TreeSet<>();
        hosts.forEach(host -> names.addAll(traits ? host.traits() : host.aggregates()));
        return names;
    }

    private static BitMatrix bits(List<HostInventory> hosts, Catalog catalog, boolean traits) {
        BitSet[] sets = new BitSet[hosts.size()];
        for (int h = 0; h < sets.length; h++) {
            sets[h] = new BitSet(catalog.size());
            for (String name : traits ? hosts.get(h).traits() : hosts.get(h).aggregates()) {
                sets[h].set(catalog.indexOf(name));
            }
        }
        return BitMatrix.of(sets, catalog.size());
    }

    int hostCount() {
        return ids.size();
    }

    /** The static facts of host {@code h} as an inventory with {@code used} of each class, in {@code state}. */
    HostInventory inventory(int h, long[] used, HostState state, long generation, int recentFailures) {
        HostInventory.Builder builder =
                HostInventory.builder(ids.get(h), names.get(h)).state(state).resourceGeneration(generation);
        for (int c = 0; c < classes.size(); c++) {
            if (total[c].get(h) > 0 || used[c] > 0 || c < ResourceClass.STANDARD.size()) {
                builder.resource(
                        classes.get(c),
                        new ResourceInventory(total[c].get(h), reserved[c].get(h), ratio[c].get(h), used[c]));
            }
        }
        traitBits.bits(h).stream().forEach(t -> builder.trait(traits.name(t)));
        aggregateBits.bits(h).stream().forEach(a -> builder.aggregate(aggregates.name(a)));
        int z = zone.get(h);
        return builder.availabilityZone(z < 0 ? null : zones.name(z))
                .recentFailures(recentFailures)
                .build();
    }
}
