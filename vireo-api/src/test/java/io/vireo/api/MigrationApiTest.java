package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.controller.MigrationProgress;
import io.vireo.controller.MigrationProgress.Phase;
import io.vireo.controller.port.MigrationGateway.Target;
import io.vireo.model.Host;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    void aVmShowsItsMigrationInFlightUntilItCompletesOrFails() {
        Host h1 = api.registerHost("h1");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.post("/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.placeAndRun();
        Host h2 = api.registerHost("h2");
        assertThat(api.get("/api/v1/vms/web").json().path("migration").isNull())
                .as("no migration yet")
                .isTrue();

        JsonNode migration =
                api.post("/api/v1/vms/web/actions/migrate", "{\"host\":\"h2\"}").json();
        UUID migrationId = UUID.fromString(migration.path("id").asText());
        UUID webId = UUID.fromString(migration.path("vmId").asText());

        JsonNode preparing = api.get("/api/v1/vms/web").json().path("migration");
        assertThat(CatalogApiTest.fieldNames(preparing))
                .containsExactly("id", "state", "sourceHost", "destinationHost", "startedAt");
        assertThat(preparing.path("id").asText()).isEqualTo(migrationId.toString());
        assertThat(preparing.path("state").asText()).isEqualTo("PREPARING");
        assertThat(preparing.path("sourceHost").asText()).isEqualTo("h1");
        assertThat(preparing.path("destinationHost").asText()).isEqualTo("h2");
        assertThat(preparing.path("startedAt").asText())
                .isEqualTo(migration.path("requestedAt").asText());
        assertThat(api.get("/api/v1/vms/db").json().path("migration").isNull()).isTrue();

        api.migrations.progress(
                h2.id(),
                new MigrationProgress(
                        migrationId, webId, Phase.PREPARED, new Target("h2", 49152, 49153), "", null, null));
        Map<String, JsonNode> listed = byName(api.get("/api/v1/vms").json().path("items"));
        assertThat(named(listed, "web").path("migration").path("state").asText())
                .isEqualTo("MIGRATING");
        assertThat(named(listed, "web")
                        .path("migration")
                        .path("destinationHost")
                        .asText())
                .isEqualTo("h2");
        assertThat(named(listed, "web").path("host").asText())
                .as("still on its source")
                .isEqualTo("h1");
        assertThat(named(listed, "db").path("migration").isNull()).isTrue();

        api.migrations.progress(
                h2.id(), new MigrationProgress(migrationId, webId, Phase.RESUMED, null, "", null, ApiFixture.NOW));
        JsonNode moved = api.get("/api/v1/vms/web").json();
        assertThat(moved.path("host").asText()).isEqualTo("h2");
        assertThat(moved.path("migration").isNull()).as("completed").isTrue();

        JsonNode dbMigration =
                api.post("/api/v1/vms/db/actions/migrate", "{\"host\":\"h2\"}").json();
        UUID dbMigrationId = UUID.fromString(dbMigration.path("id").asText());
        assertThat(api.get("/api/v1/vms/db").json().path("migration").path("id").asText())
                .isEqualTo(dbMigrationId.toString());
        api.migrations.progress(
                h1.id(),
                new MigrationProgress(
                        dbMigrationId,
                        UUID.fromString(dbMigration.path("vmId").asText()),
                        Phase.FAILED,
                        null,
                        "source lost the destination",
                        null,
                        null));
        listed = byName(api.get("/api/v1/vms").json().path("items"));
        assertThat(named(listed, "db").path("migration").isNull()).as("failed").isTrue();
        assertThat(named(listed, "db").path("host").asText()).isEqualTo("h1");
        assertThat(named(listed, "web").path("migration").isNull()).isTrue();
    }

    @Test
    void aPageOfVmsReadsTheMigrationsInFlightInOneQuery() {
        api.registerHost("h1");
        for (int i = 0; i < 15; i++) {
            api.post("/api/v1/vms", "{\"name\":\"vm-" + i + "\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        }
        api.placeAndRun();
        api.registerHost("h2");
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/vms/vm-" + i + "/actions/migrate", "{\"host\":\"h2\"}")
                            .status())
                    .isEqualTo(202);
        }
        int before = api.migrationStore.inFlightByVmsReads.get();
        int otherBefore = api.migrationStore.otherReads.get();

        JsonNode first = api.get("/api/v1/vms?limit=10").json();
        JsonNode second = api.get("/api/v1/vms?limit=10&cursor="
                        + first.path("nextCursor").asText())
                .json();

        assertThat(api.migrationStore.inFlightByVmsReads.get() - before)
                .as("one query per page")
                .isEqualTo(2);
        assertThat(api.migrationStore.otherReads.get()).as("no read per VM").isEqualTo(otherBefore);
        List<String> migrating = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.path("items").forEach(vm -> {
                if (!vm.path("migration").isNull()) {
                    migrating.add(vm.path("name").asText());
                }
            });
        }
        assertThat(migrating).containsExactlyInAnyOrder("vm-0", "vm-1", "vm-2");
    }

    private static JsonNode named(Map<String, JsonNode> vms, String name) {
        return java.util.Objects.requireNonNull(vms.get(name), name);
    }

    private static Map<String, JsonNode> byName(JsonNode items) {
        Map<String, JsonNode> vms = new HashMap<>();
        items.forEach(vm -> vms.put(vm.path("name").asText(), vm));
        return vms;
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
