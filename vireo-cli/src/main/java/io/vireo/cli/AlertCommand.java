package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.AlertRuleView;
import io.vireo.cli.client.AlertView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vireo alert ...}: the server's alerts and rules (ADR 24), for the admin project's users. */
@Command(name = "alert", description = "Show the active alerts and the alert rules.")
final class AlertCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    AlertCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List the active alerts, pending and firing.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.alerts(), AlertView.class, alerts(output.now()));
        }
        return 0;
    }

    @Command(name = "rules", description = "List the alert rules the server evaluates.")
    int rules(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.alertRules(), AlertRuleView.class, rules());
        }
        return 0;
    }

    static Table<AlertView> alerts(Instant now) {
        return Table.of(
                Column.of("NAME", AlertView::name),
                Column.of("SEVERITY", AlertView::severity),
                Column.of("STATE", AlertView::state),
                Column.of(
                        "SINCE",
                        alert -> Ages.since(alert.firedAt() == null ? alert.activeAt() : alert.firedAt(), now)),
                Column.of("LABELS", alert -> labels(alert.labels())),
                Column.of(
                        "DESCRIPTION",
                        alert -> alert.annotations() == null
                                ? null
                                : alert.annotations().get("description")));
    }

    /** The labels but alertname and severity, which have columns of their own. */
    private static String labels(@Nullable Map<String, String> labels) {
        if (labels == null) {
            return "";
        }
        return labels.entrySet().stream()
                .filter(label ->
                        !label.getKey().equals("alertname") && !label.getKey().equals("severity"))
                .map(label -> label.getKey() + "=" + label.getValue())
                .sorted()
                .collect(Collectors.joining(","));
    }

    static Table<AlertRuleView> rules() {
        return Table.of(
                Column.of("NAME", AlertRuleView::name),
                Column.of("SEVERITY", AlertRuleView::severity),
                Column.of("FOR", rule -> rule.forSeconds() == null ? null : rule.forSeconds() + "s"),
                Column.of("SUMMARY", AlertRuleView::summary),
                Column.of("CONDITION", AlertRuleView::expression));
    }
}
