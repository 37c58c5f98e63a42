package io.vireo.controller.port;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One page of a listing; {@code nextCursor} is absent on the last page. */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
