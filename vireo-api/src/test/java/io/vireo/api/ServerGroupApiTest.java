package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server groups and the placement constraints of a VM through the API, against the real controller services. */
class ServerGroupApiTest {
    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aGroupIsCreatedListedShownAndDeleted() {
        TestResponse created =
                api.post("/api/v1/server-groups", "{\"name\":\"web\",\"policy\":\"anti-affinity\",\"maxPerHost\":2}");
        api.post("/api/v1/server-groups", "{\"name\":\"db\",\"policy\":\"affinity\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/server-groups/web");
        JsonNode group = created.json();
        assertThat(CatalogApiTest.fieldNames(group))
                .containsExactly("id", "name", "project", "policy", "maxPerHost", "members", "createdAt");
        assertThat(group.path("policy").asText()).isEqualTo("anti-affinity");
        assertThat(group.path("maxPerHost").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/server-groups/web").json()).isEqualTo(group);
        JsonNode items = api.get("/api/v1/server-groups").json().path("items");
        assertThat(items.findValuesAsText("name")).containsExactly("db", "web");
        assertThat(items.get(0).path("maxPerHost").asInt()).isEqualTo(1);

        assertThat(api.delete("/api/v1/server-groups/web").status()).isEqualTo(204);
        api.get("/api/v1/server-groups/web").assertError(404, "NOT_FOUND");
    }

    @Test
    void aVmJoinsAGroupWithAZoneAndTraitsAndTheGroupCannotBeDeletedUnderIt() {
        api.post("/api/v1/server-groups", "{\"name\":\"web\",\"policy\":\"soft-anti-affinity\"}");

        TestResponse created = api.post(
                "/api/v1/vms",
                "{\"name\":\"web1\",\"flavor\":\"small\",\"image\":\"cirros\",\"serverGroup\":\"web\","
                        + "\"availabilityZone\":\"zone-a\",\"traits\":[\"storage.ssd\",\"!gpu\",\"cpu.avx2\"]}");

        assertThat(created.status()).isEqualTo(202);
        JsonNode vm = api.get("/api/v1/vms/web1").json();
        assertThat(vm.path("serverGroup").asText()).isEqualTo("web");
        assertThat(vm.path("availabilityZone").asText()).isEqualTo("zone-a");
        assertThat(vm.path("traits").findValuesAsText("")).isEmpty();
        assertThat(vm.path("traits").toString()).isEqualTo("[\"cpu.avx2\",\"storage.ssd\",\"!gpu\"]");
        assertThat(api.get("/api/v1/server-groups/web").json().path("members").toString())
                .isEqualTo("[\"web1\"]");
        assertThat(api.get("/api/v1/vms")
                        .json()
                        .path("items")
                        .get(0)
                        .path("serverGroup")
                        .asText())
                .isEqualTo("web");

        api.delete("/api/v1/server-groups/web").assertError(409, "CONFLICT");
        api.delete("/api/v1/vms/web1");
        assertThat(api.delete("/api/v1/server-groups/web").status()).isEqualTo(204);
    }

    @Test
    void aVmWithoutConstraintsShowsNone() {
        api.post("/api/v1/vms", "{\"name\":\"plain\",\"flavor\":\"small\",\"image\":\"cirros\"}");

        JsonNode vm = api.get("/api/v1/vms/plain").json();
        assertThat(vm.path("serverGroup").isNull()).isTrue();
        assertThat(vm.path("availabilityZone").isNull()).isTrue();
        assertThat(vm.path("traits").toString()).isEqualTo("[]");
    }

    @Test
    void groupsBelongToTheirProject() {
        api.post("/api/v1/server-groups", "{\"name\":\"web\",\"policy\":\"affinity\"}");

        assertThat(api.memory.repositories().serverGroups().list(java.util.UUID.randomUUID()))
                .isEmpty();
        assertThat(api.memory.repositories().serverGroups().list(ApiFixture.ADMIN.projectId()))
                .hasSize(1);
    }
}
