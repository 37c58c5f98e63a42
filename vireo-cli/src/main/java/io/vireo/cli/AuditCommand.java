package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.AuditQuery;
import io.vireo.cli.client.AuditView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vireo audit}: who did what, from the control plane's audit log (admins: every project's; project admins:
 * their project's). Shows the latest matching records, oldest first, like {@code vireo events}.
 */
@Command(
        name = "audit",
        description = "List the latest audit records: every call that changed or tried to change something, and what"
                + " Vireo did by itself; oldest first.")
final class AuditCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 50;
    /** The most records one invocation fetches; more is a job for the API's cursor, not a terminal. */
    static final int MAX_LIMIT = 10_000;

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})(s|m|h|d)");
    private static final Pattern ACTION = Pattern.compile("[a-z][A-Za-z0-9.-]{0,99}");
    private static final List<String> OUTCOMES = List.of("ok", "denied", "failed");

    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    @Mixin
    private ClientOptions options = new ClientOptions();

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Only records from this time on: a time ago (90s, 30m, 1h, 7d) or an ISO-8601 time or date"
                    + " (2026-11-02T10:00:00Z, 2026-11-02).")
    private @Nullable String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only records before this time (as --since).")
    private @Nullable String until;

    @Option(
            names = "--actor",
            paramLabel = "NAME",
            description = "Only records of this actor: a user, a host, a part of Vireo (placement, migration,"
                    + " host-monitor), anonymous, or an id.")
    private @Nullable String actor;

    @Option(
            names = "--action",
            paramLabel = "ACTION",
            description = "Only records of this action, e.g. createVm, deleteVm, login, system.placeVm, agent.enroll.")
    private @Nullable String action;

    @Option(names = "--target", paramLabel = "NAME|ID", description = "Only records about this object.")
    private @Nullable String target;

    @Option(
            names = "--outcome",
            paramLabel = "OUTCOME",
            description = "Only records that ended so: ok, denied, failed.")
    private @Nullable String outcome;

    @Option(names = "--correlation-id", paramLabel = "ID", description = "Only records of this API call.")
    private @Nullable String correlationId;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "At most this many records, 1 to " + MAX_LIMIT + " (default: " + DEFAULT_LIMIT + ").")
    private int limit = DEFAULT_LIMIT;

    AuditCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw usageError("--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (outcome != null && !OUTCOMES.contains(outcome.toLowerCase(Locale.ROOT))) {
            throw usageError("--outcome must be ok, denied or failed, not '" + outcome + "'");
        }
        if (action != null && !ACTION.matcher(action).matches()) {
            throw usageError("--action must be an action name such as createVm or system.placeVm");
        }
        Output output = root.output(options);
        Instant from = time("--since", since, output.now());
        Instant to = time("--until", until, output.now());
        if (from != null && to != null && !from.isBefore(to)) {
            throw usageError("--since must be before --until");
        }
        AuditQuery query = new AuditQuery(
                from,
                to,
                actor,
                action,
                target,
                outcome == null ? null : outcome.toLowerCase(Locale.ROOT),
                correlationId,
                limit);
        try (VireoClient client = root.connect(options)) {
            List<JsonNode> newestFirst = new ArrayList<>(client.audit(query));
            Collections.reverse(newestFirst);
            output.list(newestFirst, AuditView.class, table());
        }
        return 0;
    }

    /** A time given as an age ({@code 1h}: an hour before now), an ISO-8601 instant or an ISO-8601 date (UTC). */
    private @Nullable Instant time(String option, @Nullable String text, Instant now) {
        if (text == null) {
            return null;
        }
        Matcher relative = RELATIVE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration ago = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(ago);
        }
        try {
            return text.contains("T")
                    ? Instant.parse(text)
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw usageError(
                    option + " must be a time ago (30m, 1h, 7d) or an ISO-8601 time or date, not '" + text + "'");
        }
    }

    private ParameterException usageError(String message) {
        return new ParameterException(
                requireNonNull(spec, "spec is null (injected by picocli)").commandLine(), message);
    }

    static Table<AuditView> table() {
        return Table.of(
                Column.of("ID", AuditView::id),
                Column.of("TIME", record -> seconds(record.createdAt())),
                Column.of("ACTOR", AuditCommand::actor),
                Column.of("ACTION", AuditView::action),
                Column.of("TARGET", AuditCommand::target),
                Column.of("OUTCOME", AuditCommand::outcome),
                Column.of("SOURCE", AuditView::sourceAddress),
                Column.of("CORRELATION-ID", AuditView::correlationId),
                Column.of("DETAIL", AuditView::detail));
    }

    /** The time to the second, as the server sent it if it cannot be read. */
    private static @Nullable String seconds(@Nullable String createdAt) {
        if (createdAt == null) {
            return null;
        }
        try {
            return Instant.parse(createdAt).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeException e) {
            return createdAt;
        }
    }

    /** {@code ann}, {@code ci (service-account)}, {@code node-1 (host)}, {@code placement (system)}. */
    private static @Nullable String actor(AuditView record) {
        String kind = record.actorKind();
        if (kind == null || kind.equals("user") || kind.equals("anonymous")) {
            return record.actor();
        }
        return record.actor() + " (" + kind + ")";
    }

    /** {@code vm web-1}, or the id where the name is not known. */
    private static @Nullable String target(AuditView record) {
        if (record.targetType() == null) {
            return null;
        }
        String which = record.targetName() != null ? record.targetName() : record.targetId();
        return which == null ? record.targetType() : record.targetType() + " " + which;
    }

    /** {@code ok 202}, {@code denied 403 PERMISSION_DENIED}, {@code failed NO_VALID_HOST}. */
    private static @Nullable String outcome(AuditView record) {
        if (record.outcome() == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(record.outcome());
        if (record.httpStatus() != null) {
            text.append(' ').append(record.httpStatus());
        }
        if (record.errorCode() != null) {
            text.append(' ').append(record.errorCode());
        }
        return text.toString();
    }
}
