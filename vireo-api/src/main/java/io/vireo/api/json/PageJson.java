package io.vireo.api.json;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a list; pass {@code nextCursor} as {@code cursor} to get the next page. Null on the last page. */
public record PageJson<T>(List<T> items, @Nullable String nextCursor) {
    public PageJson {
        items = List.copyOf(items);
    }
}
