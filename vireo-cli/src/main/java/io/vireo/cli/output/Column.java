package io.vireo.cli.output;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One column of a {@link Table}: a header and how to get a row's cell (null prints as {@value Text#ABSENT}). */
public record Column<T>(String header, Function<T, @Nullable Object> cell) {
    public Column {
        requireNonNull(header, "header is null");
        requireNonNull(cell, "cell is null");
    }

    public static <T> Column<T> of(String header, Function<T, @Nullable Object> cell) {
        return new Column<>(header, cell);
    }
}
