package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.model.Host;
import io.vireo.model.HostUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hosts, as their agents registered them. */
class HostApiTest {
    private final ApiFixture api = new ApiFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hostJsonHasTheDocumentedFields() {
        Host host = api.registerHost("node-1");
        api.sessions.heartbeat(host.id(), new HostUsage(12.5, 2048, 30, 3));

        JsonNode json = api.get("/api/v1/hosts/node-1").json();

        assertThat(CatalogApiTest.fieldNames(json))
                .containsExactly(
                        "id",
                        "name",
                        "state",
                        "driver",
                        "capabilities",
                        "capacity",
                        "allocated",
                        "usage",
                        "lastHeartbeatAt",
                        "createdAt",
                        "resourceGeneration");
        assertThat(json.path("id").asText()).isEqualTo(host.id().toString());
        assertThat(json.path("state").asText()).isEqualTo("UP");
        assertThat(json.path("driver").asText()).isEqualTo("fake");
        assertThat(json.path("capabilities").get(0).asText()).isEqualTo("kvm");
        assertThat(json.path("capacity").path("vcpus").asInt()).isEqualTo(16);
        assertThat(json.path("capacity").path("memoryMib").asLong()).isEqualTo(65536);
        assertThat(json.path("capacity").path("diskGib").asLong()).isEqualTo(1000);
        assertThat(json.path("allocated").path("vcpus").asInt()).isZero();
        assertThat(json.path("usage").path("cpuPercent").asDouble()).isEqualTo(12.5);
        assertThat(json.path("usage").path("memoryUsedMib").asLong()).isEqualTo(2048);
        assertThat(json.path("usage").path("diskUsedGib").asLong()).isEqualTo(30);
        assertThat(json.path("usage").path("runningVms").asInt()).isEqualTo(3);
        assertThat(json.path("lastHeartbeatAt").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(json.path("resourceGeneration").asLong()).isEqualTo(host.resourceGeneration());
    }

    @Test
    void hostsAreListedByNameAndFoundByNameOrId() {
        Host b = api.registerHost("node-b");
        api.registerHost("node-a");
        api.registerHost("Node-C.example.com");

        JsonNode list = api.get("/api/v1/hosts").json();

        assertThat(list.path("items"))
                .extracting(item -> item.path("name").asText())
                .containsExactly("Node-C.example.com", "node-a", "node-b");
        assertThat(list.path("nextCursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/hosts/" + b.id()).json().path("name").asText())
                .isEqualTo("node-b");
        assertThat(api.get("/api/v1/hosts/Node-C.example.com").status()).isEqualTo(200);
        api.get("/api/v1/hosts/node-z").assertError(404, "NOT_FOUND");
        api.get("/api/v1/hosts/00000000-0000-4000-8000-0000000000ff").assertError(404, "NOT_FOUND");
    }
}
