package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.CliErrorCode;
import io.vireo.cli.client.CliException;
import io.vireo.cli.client.VireoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Polls a live migration until it is COMPLETED or FAILED, or the timeout passes. Not thread-safe. */
final class MigrationWaiter {
    private final VireoClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    MigrationWaiter(VireoClient client, Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.client = requireNonNull(client, "client is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    }

    /** The migration once final; a FAILED one is returned too (the caller decides the exit code). */
    JsonNode await(String vm, JsonNode accepted, Duration timeout) {
        String id = accepted.path("id").asText();
        Instant deadline = clock.instant().plus(timeout);
        JsonNode current = accepted;
        while (!isFinal(current)) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new CliException(
                        CliErrorCode.WAIT_FAILED,
                        "timed out after " + DurationConverter.format(timeout) + " waiting for the migration of vm '"
                                + vm + "' (" + current.path("state").asText() + ")");
            }
            Duration remaining = Duration.between(now, deadline);
            try {
                sleeper.sleep(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliErrorCode.INTERRUPTED, "interrupted while waiting for the migration", e);
            }
            current = client.migration(vm, id);
        }
        return current;
    }

    static boolean isFinal(JsonNode migration) {
        String state = migration.path("state").asText();
        return state.equals("COMPLETED") || state.equals("FAILED");
    }

    /** One line: "COMPLETED host-1 -> host-2 in 712 ms (downtime 95 ms)" or the failure. */
    static String summary(JsonNode migration) {
        StringBuilder line = new StringBuilder()
                .append(migration.path("state").asText())
                .append(' ')
                .append(migration.path("sourceHost").asText())
                .append(" -> ")
                .append(migration.path("destinationHost").asText());
        Long elapsed = number(migration, "elapsedMillis");
        if (elapsed != null) {
            line.append(" in ").append(elapsed).append(" ms");
        }
        Long total = number(migration, "totalMillis");
        Long downtime = number(migration, "downtimeMillis");
        if (total != null && downtime != null) {
            line.append(" (migration ")
                    .append(total)
                    .append(" ms, downtime ")
                    .append(downtime)
                    .append(" ms)");
        }
        String error = migration.path("error").asText("");
        if (!error.isEmpty() && !migration.path("error").isNull()) {
            line.append(": ").append(error);
        }
        return line.toString();
    }

    private static @Nullable Long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }
}
