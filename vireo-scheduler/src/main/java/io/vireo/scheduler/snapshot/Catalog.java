package io.vireo.scheduler.snapshot;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A sorted, duplicate-free list of names with a dense index each: the bit positions of traits and aggregates and the
 * numbers of availability zones in a {@link ClusterSnapshot}.
 *
 * <p>Invariant: {@code name(indexOf(n)) == n} for every name; indexes are {@code 0..size()-1} in name order, so the
 * same names always get the same indexes. Immutable and thread-safe.
 */
public final class Catalog {
    private static final Catalog EMPTY = new Catalog(List.of());

    private final List<String> names;
    private final Map<String, Integer> indexes;

    private Catalog(List<String> sortedNames) {
        this.names = List.copyOf(sortedNames);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), i);
        }
        this.indexes = Map.copyOf(byName);
    }

    public static Catalog of(Collection<String> names) {
        return names.isEmpty() ? EMPTY : new Catalog(List.copyOf(new TreeSet<>(names)));
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    /** The index of {@code name}, or -1 if the catalog does not have it. */
    public int indexOf(String name) {
        Integer index = indexes.get(name);
        return index == null ? -1 : index;
    }

    public List<String> names() {
        return names;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Catalog catalog && names.equals(catalog.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
