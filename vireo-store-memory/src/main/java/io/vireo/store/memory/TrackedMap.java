package io.vireo.store.memory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An insertion-ordered map that remembers which keys were put or removed since {@link #drainTouched}: what lets the
 * simulator check its invariants on what an event changed rather than on the whole store. Only {@code put} and
 * {@code remove} are tracked (and told to the listener); the store writes tracked maps through them. Guarded by the store's lock, like every map.
 */
final class TrackedMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    /** Told of every value put or removed: what the PostgreSQL store does in its tables' triggers. */
    @FunctionalInterface
    interface Listener<V> {
        void changed(@Nullable V before, @Nullable V after);
    }

    private final Set<K> touched = new LinkedHashSet<>();
    private final transient Listener<V> listener;

    TrackedMap() {
        this((before, after) -> {});
    }

    TrackedMap(Listener<V> listener) {
        this.listener = listener;
    }

    @Override
    public @Nullable V put(K key, V value) {
        touched.add(key);
        V before = super.put(key, value);
        listener.changed(before, value);
        return before;
    }

    @Override
    @SuppressWarnings("unchecked")
    public @Nullable V remove(Object key) {
        touched.add((K) key);
        V before = super.remove(key);
        if (before != null) {
            listener.changed(before, null);
        }
        return before;
    }

    /** The keys put or removed since the last call, in the order first touched. */
    Set<K> drainTouched() {
        Set<K> drained = new LinkedHashSet<>(touched);
        touched.clear();
        return drained;
    }
}
