package io.vireo.server.logging;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits of log forwarding to syslog.
 *
 * @param queueCapacity the most lines waiting to be sent; beyond it lines are dropped and counted, so that logging
 *     never waits for the network
 * @param connectTimeout how long one connection attempt may take
 * @param firstBackoff the wait after the first failed attempt; it doubles with each failure
 * @param maxBackoff the longest wait between attempts
 * @param stopTimeout how long stopping waits for queued lines to be sent
 */
public record SyslogSettings(
        int queueCapacity, Duration connectTimeout, Duration firstBackoff, Duration maxBackoff, Duration stopTimeout) {
    public static final SyslogSettings DEFAULTS = new SyslogSettings(
            10_000, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(2));

    public SyslogSettings {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(firstBackoff, "firstBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(stopTimeout, "stopTimeout is null");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive");
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || firstBackoff.isNegative()
                || firstBackoff.isZero()
                || maxBackoff.compareTo(firstBackoff) < 0
                || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive, maxBackoff at least firstBackoff");
        }
    }

    public SyslogSettings withQueueCapacity(int capacity) {
        return new SyslogSettings(capacity, connectTimeout, firstBackoff, maxBackoff, stopTimeout);
    }

    public SyslogSettings withBackoff(Duration first, Duration max) {
        return new SyslogSettings(queueCapacity, connectTimeout, first, max, stopTimeout);
    }
}
