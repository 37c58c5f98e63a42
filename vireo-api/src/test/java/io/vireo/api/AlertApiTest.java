package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /alerts} lists the active alerts with their labels; {@code GET /alerts/rules} the built-in rules. */
class AlertApiTest {
    private final ApiFixture api = new ApiFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theActiveAlertsAreListedWithTheirStateAndLabels() {
        Host host = api.registerHost("node-1");
        api.store.hosts().updateState(host.id(), HostState.DOWN);
        api.alerts.evaluate();

        JsonNode items = api.get("/api/v1/alerts").json().path("items");

        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        assertThat(names).containsExactly("VireoHostDown", "Watchdog");
        JsonNode hostDown = items.get(0);
        assertThat(CatalogApiTest.fieldNames(hostDown))
                .containsExactly("name", "severity", "state", "labels", "annotations", "activeAt", "firedAt");
        assertThat(hostDown.path("state").asText()).isEqualTo("PENDING");
        assertThat(hostDown.path("severity").asText()).isEqualTo("critical");
        assertThat(hostDown.path("labels").path("host_id").asText())
                .isEqualTo(host.id().toString());
        assertThat(hostDown.path("labels").path("host").asText()).isEqualTo("node-1");
        assertThat(hostDown.path("annotations").path("description").asText()).contains("node-1 is DOWN");
        assertThat(hostDown.path("firedAt").isNull()).isTrue();
        assertThat(items.get(1).path("state").asText()).isEqualTo("FIRING");
    }

    @Test
    void theRulesAreListed() {
        JsonNode items = api.get("/api/v1/alerts/rules").json().path("items");
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        assertThat(names)
                .containsExactly(
                        "VireoHostDown", "VireoVmStuck", "VireoCapacityHigh", "VireoMigrationsFailing", "Watchdog");
        assertThat(items.get(0).path("forSeconds").asLong()).isEqualTo(30);
        assertThat(items.get(0).path("severity").asText()).isEqualTo("critical");
    }
}
