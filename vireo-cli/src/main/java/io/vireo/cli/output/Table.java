package io.vireo.cli.output;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for people: a header row and one row per item, columns separated by at least {@value #GAP} spaces and
 * left-aligned, the last column not padded. Immutable.
 */
public record Table<T>(List<Column<T>> columns) {
    static final int GAP = 3;

    public Table {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a column");
        }
    }

    @SafeVarargs
    public static <T> Table<T> of(Column<T>... columns) {
        List<Column<T>> list = new ArrayList<>(columns.length);
        for (Column<T> column : columns) {
            list.add(column); // copied one by one: the array itself never leaves this method
        }
        return new Table<>(list);
    }

    /** The table as lines of text, each ending in a newline. */
    public String render(List<T> rows) {
        List<List<String>> cells = new ArrayList<>(rows.size() + 1);
        cells.add(columns.stream().map(Column::header).toList());
        for (T row : rows) {
            cells.add(columns.stream()
                    .map(column -> Text.printable(column.cell().apply(row)))
                    .toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                row.append(line.get(i));
                if (i < widths.length - 1) {
                    row.append(" ".repeat(widths[i] - line.get(i).length() + GAP));
                }
            }
            text.append(row.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
