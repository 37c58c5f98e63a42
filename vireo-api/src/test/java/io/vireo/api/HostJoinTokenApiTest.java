package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.api.auth.AccessPolicy;
import io.vireo.controller.HostEnrollment;
import io.vireo.model.Host;
import io.vireo.model.JoinToken;
import io.vireo.model.Role;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /hosts/join-tokens}: admin only, shown once, stored hashed. */
class HostJoinTokenApiTest {
    private final ApiFixture api = new ApiFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anAdminMakesATokenShownOnceAndStoredHashed() {
        TestResponse response = api.post("/api/v1/hosts/join-tokens", "{\"expiresInSeconds\": 3600}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode json = response.json();
        String text = json.path("token").asText();
        JoinToken.Text parsed = JoinToken.parse(text).orElseThrow();
        assertThat(parsed.caFingerprintHex()).isEqualTo(ApiFixture.CA_FINGERPRINT);
        assertThat(json.path("caFingerprint").asText()).isEqualTo(ApiFixture.CA_FINGERPRINT);
        assertThat(json.path("expiresAt").asText())
                .isEqualTo(ApiFixture.NOW.plus(Duration.ofHours(1)).toString());
        assertThat(json.path("hostId").isNull()).isTrue();
        JoinToken stored = api.agentCredentials
                .findJoinToken(HostEnrollment.sha256(parsed.secret()))
                .orElseThrow();
        assertThat(stored.id().toString()).isEqualTo(json.path("id").asText());
        assertThat(stored.toString()).doesNotContain(parsed.secret());
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void aTokenForAnExistingHostReEnrollsIt() {
        Host host = api.registerHost("node-1");

        TestResponse response = api.post("/api/v1/hosts/join-tokens", "{\"host\": \"node-1\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("hostId").asText()).isEqualTo(host.id().toString());
        assertThat(api.post("/api/v1/hosts/join-tokens", "{\"host\": \"nowhere\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void outOfRangeExpiriesAndBadBodiesAreRefused() {
        assertThat(api.post("/api/v1/hosts/join-tokens", "{\"expiresInSeconds\": 0}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/hosts/join-tokens", "{\"expiresInSeconds\": 2592001}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/hosts/join-tokens", "null").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/hosts/join-tokens", "{}").status()).isEqualTo(201);
    }

    @Test
    void onlyTheAdminMayMakeOne() {
        TestResponse anonymous = api.send(HttpRequest.newBuilder(api.uri("/api/v1/hosts/join-tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        TestResponse agent = api.send(HttpRequest.newBuilder(api.uri("/api/v1/hosts/join-tokens"))
                .header("Authorization", "Bearer " + ApiFixture.AGENT_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(agent.status())
                .as("the agents' credential cannot make join tokens")
                .isEqualTo(401);
        assertThat(api.agentCredentials.listUsableJoinTokens(ApiFixture.NOW, 10))
                .isEmpty();
        assertThat(AccessPolicy.standard()
                        .rule("POST", "/api/v1/hosts/join-tokens")
                        .orElseThrow()
                        .roles())
                .as("no role but the system administrator may make a host")
                .containsExactly(Role.ADMIN);
    }
}
