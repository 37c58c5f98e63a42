package io.vireo.cli.output;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vireo.cli.client.WireFormat;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Prints results in the chosen {@link OutputFormat}. In JSON the server's objects are printed as they came (a list as
 * an array), so scripts see every field; in a table only the view's fields are shown. Not thread-safe.
 */
public final class Output {
    private final PrintStream out;
    private final OutputFormat format;
    private final Clock clock;

    public Output(PrintStream out, OutputFormat format, Clock clock) {
        this.out = requireNonNull(out, "out is null");
        this.format = requireNonNull(format, "format is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public OutputFormat format() {
        return format;
    }

    /** The instant ages are measured from. */
    public Instant now() {
        return clock.instant();
    }

    public <T> void list(List<JsonNode> items, Class<T> type, Table<T> table) {
        if (format == OutputFormat.JSON) {
            json(JsonNodeFactory.instance.arrayNode().addAll(items));
        } else {
            out.print(table.render(
                    items.stream().map(item -> WireFormat.read(item, type)).toList()));
        }
        out.flush();
    }

    public <T> void object(JsonNode item, Class<T> type, Function<T, Details> details) {
        if (format == OutputFormat.JSON) {
            json(item);
        } else {
            out.print(details.apply(WireFormat.read(item, type)).render());
        }
        out.flush();
    }

    /** Prints one object as a one-row table, e.g. the VM a command just changed. */
    public <T> void row(JsonNode item, Class<T> type, Table<T> table) {
        if (format == OutputFormat.JSON) {
            json(item);
        } else {
            out.print(table.render(List.of(WireFormat.read(item, type))));
        }
        out.flush();
    }

    /** A confirmation for people ({@code flavor 'small' deleted}); nothing is printed in JSON. */
    public void message(String text) {
        if (format == OutputFormat.TABLE) {
            out.println(Text.printable(text));
            out.flush();
        }
    }

    /** Text printed as it is, without a final newline, after {@link Text#printableLines}. */
    public void text(String text) {
        out.print(Text.printableLines(text));
        out.flush();
    }

    public void json(JsonNode node) {
        out.println(WireFormat.pretty(node));
        out.flush();
    }
}
