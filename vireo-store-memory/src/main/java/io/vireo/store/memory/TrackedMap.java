package io.vireo.store.memory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An insertion-ordered map that remembers which keys were put or removed since {@link #drainTouched}: what lets the
 * simulator check its invariants on what an event changed rather than on the whole store. Only {@code put} and
 * {@code remove} are tracked; the store writes tracked maps through them. Guarded by the store's lock, like every map.
 */
final class TrackedMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final Set<K> touched = new LinkedHashSet<>();

    @Override
    public @Nullable V put(K key, V value) {
        touched.add(key);
        return super.put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public @Nullable V remove(Object key) {
        touched.add((K) key);
        return super.remove(key);
    }

    /** The keys put or removed since the last call, in the order first touched. */
    Set<K> drainTouched() {
        Set<K> drained = new LinkedHashSet<>(touched);
        touched.clear();
        return drained;
    }
}
