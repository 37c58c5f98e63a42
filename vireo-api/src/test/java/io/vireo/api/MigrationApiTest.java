package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live migration through the API, against the real controller services. */
class MigrationApiTest {
    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aRunningVmIsMigratedToTheHostAskedForOrOneTheSchedulerPicks() {
        api.registerHost("h1");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.placeAndRun();
        api.registerHost("h2");

        TestResponse accepted = api.post("/api/v1/vms/web/actions/migrate", "{\"host\":\"h2\"}");

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode migration = accepted.json();
        assertThat(migration.path("state").asText()).isEqualTo("PREPARING");
        assertThat(migration.path("sourceHost").asText()).isEqualTo("h1");
        assertThat(migration.path("destinationHost").asText()).isEqualTo("h2");
        assertThat(migration.path("finishedAt").isNull()).isTrue();
        assertThat(accepted.header("Location"))
                .isEqualTo("/api/v1/vms/" + migration.path("vmId").asText() + "/migrations/"
                        + migration.path("id").asText());
        assertThat(api.migrationMessages).containsExactly("prepare web");
        assertThat(api.get("/api/v1/vms/web/migrations/" + migration.path("id").asText())
                        .json())
                .isEqualTo(migration);
        assertThat(api.get("/api/v1/vms/web/migrations").json().path("items"))
                .singleElement()
                .isEqualTo(migration);

        TestResponse again = api.post("/api/v1/vms/web/actions/migrate", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("message").asText()).contains("already migrating");
    }

    @Test
    void badMigrationRequestsAreRefusedWithTheOneErrorShape() {
        api.registerHost("h1");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.placeAndRun();

        assertThat(api.post("/api/v1/vms/web/actions/migrate", "{\"host\":\"h1\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/vms/web/actions/migrate", "{\"host\":\"Bad Name!\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/vms/web/actions/migrate", "{\"host\":\"nohost\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/vms/nope/actions/migrate", "{}").status()).isEqualTo(404);
        TestResponse nowhere = api.post("/api/v1/vms/web/actions/migrate", "{}");
        assertThat(nowhere.status()).isEqualTo(409);
        assertThat(nowhere.json().path("error").path("code").asText()).isEqualTo("CONFLICT");
        assertThat(api.get("/api/v1/vms/web/migrations/not-a-uuid").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/vms/web/migrations/00000000-0000-4000-8000-000000000009")
                        .status())
                .isEqualTo(404);
        assertThat(api.migrationMessages).isEmpty();
    }
}
