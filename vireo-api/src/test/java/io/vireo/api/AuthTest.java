package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.api.http.Endpoint;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens: required everywhere but the health check and the OpenAPI document. */
class AuthTest {
    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyAuthenticatedRouteRefusesAMissingToken() {
        List<Endpoint> authenticated = api.server.endpoints().stream()
                .filter(endpoint -> endpoint.operation().authenticated())
                .toList();
        assertThat(authenticated).hasSizeGreaterThan(15);

        for (Endpoint endpoint : authenticated) {
            String path = endpoint.path().replaceAll("\\{[A-Za-z]+}", "x");
            HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path))
                    .method(endpoint.method().name(), HttpRequest.BodyPublishers.noBody());

            TestResponse response = api.send(request);

            response.assertError(401, "UNAUTHENTICATED");
            assertThat(response.header("WWW-Authenticate"))
                    .as(endpoint.toString())
                    .startsWith("Bearer");
        }
    }

    @Test
    void malformedOrWrongTokensAreRefused() {
        List<String> headers = List.of(
                "Bearer wrong-token-0123456789abcdef",
                "Bearer " + ApiFixture.TOKEN + "x",
                "Bearer " + ApiFixture.TOKEN.substring(1),
                "Basic " + ApiFixture.TOKEN,
                ApiFixture.TOKEN,
                "Bearer",
                "Bearer    ",
                "Bearer " + "t".repeat(5000));
        for (String header : headers) {
            TestResponse response = api.send(HttpRequest.newBuilder(api.uri("/api/v1/vms"))
                    .header("Authorization", header)
                    .GET());

            response.assertError(401, "UNAUTHENTICATED");
        }
    }

    @Test
    void schemeIsCaseInsensitive() {
        TestResponse response = api.send(HttpRequest.newBuilder(api.uri("/api/v1/flavors"))
                .header("Authorization", "bearer " + ApiFixture.TOKEN)
                .GET());

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void healthAndOpenApiNeedNoToken() {
        TestResponse health =
                api.send(HttpRequest.newBuilder(api.uri("/healthz")).GET());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

        TestResponse openApi =
                api.send(HttpRequest.newBuilder(api.uri("/api/v1/openapi.json")).GET());
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void aRefusedCreateCreatesNothing() {
        api.send(HttpRequest.newBuilder(api.uri("/api/v1/vms"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}")))
                .assertError(401, "UNAUTHENTICATED");

        assertThat(api.liveVms()).isEmpty();
    }
}
