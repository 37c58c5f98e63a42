package io.vireo.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Relative times for tables: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}. */
public final class Ages {
    private Ages() {}

    /** How long ago {@code timestamp} (ISO-8601) was, or {@link Text#ABSENT} when it is missing or unreadable. */
    public static String since(@Nullable String timestamp, Instant now) {
        return parse(timestamp).map(then -> format(Duration.between(then, now))).orElse(Text.ABSENT);
    }

    /** {@code 2026-11-27T08:52:15Z (5m ago)}, or the text as sent when it is not a timestamp. */
    public static String withAge(@Nullable String timestamp, Instant now) {
        if (timestamp == null) {
            return Text.ABSENT;
        }
        return parse(timestamp)
                .map(then -> timestamp + " (" + format(Duration.between(then, now)) + " ago)")
                .orElse(timestamp);
    }

    public static String format(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 60 * 60) {
            return seconds / 60 + "m";
        }
        if (seconds < 24 * 60 * 60) {
            return seconds / (60 * 60) + "h";
        }
        return seconds / (24 * 60 * 60) + "d";
    }

    private static Optional<Instant> parse(@Nullable String timestamp) {
        if (timestamp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
