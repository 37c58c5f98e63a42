package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flavors and images: create, read, list, delete. */
class CatalogApiTest {
    private final ApiFixture api = new ApiFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void flavorLifecycle() {
        TestResponse created =
                api.post("/api/v1/flavors", "{\"name\":\"medium\",\"vcpus\":2,\"memoryMib\":4096,\"diskGib\":20}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/flavors/medium");
        JsonNode flavor = created.json();
        assertThat(fieldNames(flavor)).containsExactly("id", "name", "vcpus", "memoryMib", "diskGib", "createdAt");
        assertThat(flavor.path("name").asText()).isEqualTo("medium");
        assertThat(flavor.path("vcpus").asInt()).isEqualTo(2);
        assertThat(flavor.path("memoryMib").asLong()).isEqualTo(4096);
        assertThat(flavor.path("diskGib").asLong()).isEqualTo(20);
        assertThat(flavor.path("createdAt").asText()).isEqualTo("2026-11-02T10:00:00Z");

        assertThat(api.get("/api/v1/flavors/medium").json()).isEqualTo(flavor);
        JsonNode list = api.get("/api/v1/flavors").json();
        assertThat(list.path("items")).containsExactly(flavor);
        assertThat(list.path("nextCursor").isNull()).isTrue();

        api.post("/api/v1/flavors", "{\"name\":\"medium\",\"vcpus\":4,\"memoryMib\":4096,\"diskGib\":20}")
                .assertError(409, "ALREADY_EXISTS");

        TestResponse deleted = api.delete("/api/v1/flavors/medium");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        api.get("/api/v1/flavors/medium").assertError(404, "NOT_FOUND");
        api.delete("/api/v1/flavors/medium").assertError(404, "NOT_FOUND");
    }

    @Test
    void imageLifecycle() {
        TestResponse created = api.post("/api/v1/images", "{\"name\":\"guest\",\"format\":\"kernel-initrd\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/images/guest");
        JsonNode image = created.json();
        assertThat(fieldNames(image))
                .containsExactly(
                        "id",
                        "name",
                        "project",
                        "format",
                        "sizeBytes",
                        "createdAt",
                        "status",
                        "statusReason",
                        "sha256",
                        "expectedSha256");
        assertThat(image.path("format").asText()).isEqualTo("kernel-initrd");
        assertThat(image.path("project").asText()).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(image.path("sizeBytes").asLong()).isZero();

        api.post("/api/v1/images", "{\"name\":\"disk\",\"format\":\"raw\"}");
        api.post("/api/v1/images", "{\"name\":\"cloud\",\"format\":\"qcow2\"}");
        assertThat(api.get("/api/v1/images").json().path("items"))
                .extracting(item -> item.path("name").asText())
                .containsExactly("cloud", "disk", "guest");
        assertThat(api.get("/api/v1/images/guest").json()).isEqualTo(image);

        api.post("/api/v1/images", "{\"name\":\"guest\",\"format\":\"raw\"}").assertError(409, "ALREADY_EXISTS");
        assertThat(api.delete("/api/v1/images/guest").status()).isEqualTo(204);
        api.get("/api/v1/images/guest").assertError(404, "NOT_FOUND");
    }

    @Test
    void aFlavorOrImageInUseIsNotDeletedWhileItsVmsLive() {
        api.withCatalog();
        api.post("/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.post("/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\"}");

        JsonNode flavorInUse = api.delete("/api/v1/flavors/small").assertError(409, "CONFLICT");
        JsonNode imageInUse = api.delete("/api/v1/images/cirros").assertError(409, "CONFLICT");

        assertThat(flavorInUse.path("message").asText())
                .isEqualTo("flavor 'small' is in use by 2 VMs not deleted; " + "delete them first");
        assertThat(flavorInUse.path("details").path("vms").asLong()).isEqualTo(2);
        assertThat(imageInUse.path("message").asText()).startsWith("image 'cirros' is in use by 2 VMs");
        assertThat(api.get("/api/v1/vms/web").json().path("flavor").asText()).isEqualTo("small");
        assertThat(api.get("/api/v1/vms/web").json().path("image").asText()).isEqualTo("cirros");

        api.delete("/api/v1/vms/web");
        assertThat(api.delete("/api/v1/flavors/small")
                        .assertError(409, "CONFLICT")
                        .path("message")
                        .asText())
                .startsWith("flavor 'small' is in use by 1 VM not deleted; delete it first");
        api.delete("/api/v1/vms/db");

        assertThat(api.delete("/api/v1/flavors/small").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/images/cirros").status()).isEqualTo(204);
    }

    @Test
    void jsonContentTypeWithUtf8CharsetIsAccepted() {
        TestResponse created = api.post(
                "/api/v1/flavors",
                "Application/JSON; charset=UTF-8",
                "{\"name\":\"tiny\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":0}");

        assertThat(created.status()).isEqualTo(201);
    }

    static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
