package io.vireo.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final MovingClock clock = new MovingClock();

    @Test
    void aBurstPassesThenTheRateHoldsWithTheWaitToldPerCredential() {
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(2, 3), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take("alice")).isEmpty();
        }
        assertThat(limiter.take("alice")).contains(Duration.ofMillis(500));
        assertThat(limiter.take("bob"))
                .as("another credential has its own bucket")
                .isEmpty();

        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.take("alice")).isEmpty();
        assertThat(limiter.take("alice")).contains(Duration.ofMillis(500));

        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take("alice"))
                    .as("refilled to the burst, no further")
                    .isEmpty();
        }
        assertThat(limiter.take("alice")).isPresent();
    }

    @Test
    void offLimitsNothing() {
        RateLimiter limiter = new RateLimiter(RateLimiter.Limit.OFF, clock);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.take("alice")).isEmpty();
        }
    }

    @Test
    void badLimitsAreRefused() {
        assertThatThrownBy(() -> new RateLimiter.Limit(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter.Limit(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
