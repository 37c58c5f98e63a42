package io.vireo.cli.output;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One object shown for people as aligned {@code Label:  value} lines, in the order the fields were added. */
public final class Details {
    private final List<String> labels = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /** Adds a line; a null value prints as {@value Text#ABSENT}. */
    public Details add(String label, @Nullable Object value) {
        labels.add(requireNonNull(label, "label is null"));
        values.add(Text.printable(value));
        return this;
    }

    public String render() {
        int width = labels.stream().mapToInt(String::length).max().orElse(0) + 1;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i) + ":";
            text.append(label)
                    .append(" ".repeat(width - label.length() + Table.GAP))
                    .append(values.get(i))
                    .append('\n');
        }
        return text.toString();
    }
}
