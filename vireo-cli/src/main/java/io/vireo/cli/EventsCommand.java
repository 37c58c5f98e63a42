package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.EventQuery;
import io.vireo.cli.client.EventView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vireo events}: what happened, from the control plane's event log, oldest first. Without {@code --after} it
 * shows the latest events, like {@code tail}; with it, the events after a sequence number, for scripts that poll.
 */
@Command(name = "events", description = "List the latest events, of all objects or of one VM, oldest first.")
final class EventsCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 50;
    /** The most events one invocation fetches; more is a job for the API's cursor, not a terminal. */
    static final int MAX_LIMIT = 10_000;

    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    @Option(names = "--vm", paramLabel = "VM", description = "Only events of this VM (name or id).")
    private @Nullable String vm;

    @Option(
            names = "--correlation-id",
            paramLabel = "ID",
            description = "Only events of the work this id names: an API call (its X-Correlation-Id, shown by"
                    + " vireo audit) or what it started, such as a host's drain (vireo host drain HOST --status).")
    private @Nullable String correlationId;

    @Mixin
    private ClientOptions options = new ClientOptions();

    @Option(
            names = "--after",
            paramLabel = "SEQ",
            description = "The events after this sequence number (the SEQ column) instead of the latest ones.")
    private @Nullable Long after;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "At most this many events, 1 to " + MAX_LIMIT + " (default: " + DEFAULT_LIMIT + ").")
    private int limit = DEFAULT_LIMIT;

    EventsCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw usageError("--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (after != null && after < 0) {
            throw usageError("--after must not be negative");
        }
        EventQuery query = new EventQuery(vm == null ? null : "vm", vm, after, limit, correlationId);
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.events(query), EventView.class, table(output.now()));
        }
        return 0;
    }

    private ParameterException usageError(String message) {
        return new ParameterException(
                requireNonNull(spec, "spec is null (injected by picocli)").commandLine(), message);
    }

    static Table<EventView> table(Instant now) {
        return Table.of(
                Column.of("SEQ", EventView::sequence),
                Column.of("AGE", event -> Ages.since(event.createdAt(), now)),
                Column.of("KIND", EventView::objectKind),
                Column.of("OBJECT", event -> event.objectName() != null ? event.objectName() : event.objectId()),
                Column.of("TYPE", EventView::type),
                Column.of("MESSAGE", EventView::message));
    }
}
