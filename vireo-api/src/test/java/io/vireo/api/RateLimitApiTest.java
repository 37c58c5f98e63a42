package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.api.http.RateLimiter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A token beyond its rate gets 429 with Retry-After and the one error shape; every response has the security headers. */
class RateLimitApiTest {
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    @Test
    void aTokenBeyondItsBurstIsToldToWait() {
        // a rate so slow that no token comes back during the test: exactly the burst passes
        try (ApiFixture api = new ApiFixture(new RateLimiter.Limit(0.001, 3))) {
            for (int i = 0; i < 3; i++) {
                assertThat(api.get("/api/v1/flavors").status()).isEqualTo(200);
            }
            TestResponse refused = api.get("/api/v1/flavors");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(Long.parseLong(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .isPositive();
            assertThat(api.get("/healthz").status())
                    .as("unauthenticated routes are not counted")
                    .isEqualTo(200);
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        try (ApiFixture api = new ApiFixture()) {
            for (TestResponse response :
                    new TestResponse[] {api.get("/api/v1/flavors"), api.get("/api/v1/no-such-route")}) {
                SECURITY_HEADERS.forEach((name, value) ->
                        assertThat(response.headers().firstValue(name)).as(name).contains(value));
            }
        }
    }
}
