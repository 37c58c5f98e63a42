package io.vireo.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

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
}
