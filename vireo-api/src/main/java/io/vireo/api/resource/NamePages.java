package io.vireo.api.resource;

import io.vireo.controller.port.Page;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Pages of small lists the store returns whole (hosts, flavors, images): ordered by their unique name; the cursor is
 * the last name of the previous page.
 */
final class NamePages {
    private NamePages() {}

    static <T> Page<T> page(List<T> all, Function<T, String> name, int limit, @Nullable String cursor) {
        List<T> after = all.stream()
                .filter(item -> cursor == null || name.apply(item).compareTo(cursor) > 0)
                .sorted(Comparator.comparing(name))
                .limit(limit + 1L)
                .toList();
        if (after.size() <= limit) {
            return new Page<>(after, null);
        }
        List<T> page = after.subList(0, limit);
        return new Page<>(page, name.apply(page.get(limit - 1)));
    }
}
