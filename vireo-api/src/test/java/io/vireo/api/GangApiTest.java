package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /vms} with a count: a gang named {@code <name>-1} … {@code <name>-<count>}, all or nothing. */
class GangApiTest {
    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    private static String web(int count) {
        return "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":" + count + "}";
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void aCountCreatesAGangAndAnswersWithEveryMember() {
        TestResponse created = api.post("/api/v1/vms", web(20));

        assertThat(created.status()).isEqualTo(202);
        JsonNode gang = created.json();
        assertThat(CatalogApiTest.fieldNames(gang)).containsExactly("gangId", "items");
        List<String> expected =
                IntStream.rangeClosed(1, 20).mapToObj(i -> "web-" + i).toList();
        assertThat(names(gang.path("items"))).containsExactlyElementsOf(expected);
        gang.path("items").forEach(vm -> assertThat(vm.path("state").asText()).isEqualTo("PENDING"));
        assertThat(created.header("Location"))
                .isEqualTo("/api/v1/vms/" + gang.path("items").get(0).path("id").asText());
        assertThat(api.liveVms())
                .hasSize(20)
                .allSatisfy(vm -> assertThat(String.valueOf(vm.constraints().gangId()))
                        .isEqualTo(gang.path("gangId").asText()));
        assertThat(api.get("/api/v1/vms/web-17").json().path("name").asText()).isEqualTo("web-17");
        String gangId = gang.path("gangId").asText();
        gang.path("items").forEach(vm -> assertThat(vm.path("gangId").asText()).isEqualTo(gangId));
        assertThat(api.get("/api/v1/vms/web-17").json().path("gangId").asText())
                .as("the gang is on the VM itself")
                .isEqualTo(gangId);
    }

    @Test
    void listAndShowTellGangMembersFromVmsCreatedAlone() {
        String gangId = api.post("/api/v1/vms", web(3)).json().path("gangId").asText();
        api.post("/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.post("/api/v1/vms", web(2).replace("\"web\"", "\"app\""));

        JsonNode items = api.get("/api/v1/vms").json().path("items");

        java.util.Map<String, String> gangs = new java.util.TreeMap<>();
        items.forEach(vm -> gangs.put(
                vm.path("name").asText(),
                vm.path("gangId").isNull() ? "none" : vm.path("gangId").asText()));
        assertThat(gangs)
                .containsEntry("db", "none")
                .containsEntry("web-1", gangId)
                .containsEntry("web-2", gangId)
                .containsEntry("web-3", gangId);
        assertThat(gangs.get("app-1")).isNotIn("none", gangId).isEqualTo(gangs.get("app-2"));
        assertThat(api.get("/api/v1/vms/db").json().path("gangId").isNull()).isTrue();
    }

    @Test
    void countOneOrNoneAnswersWithTheVmAsBefore() {
        JsonNode one = api.post("/api/v1/vms", web(1)).json();
        JsonNode none = api.post("/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                .json();

        assertThat(one.path("name").asText()).isEqualTo("web");
        assertThat(CatalogApiTest.fieldNames(one)).isEqualTo(CatalogApiTest.fieldNames(none));
        assertThat(one.path("gangId").isNull()).as("count 1 makes no gang").isTrue();
        assertThat(api.liveVms())
                .allSatisfy(vm -> assertThat(vm.constraints().gangId()).isNull());
    }

    @Test
    void aNameCollisionIs409AndCreatesNothing() {
        api.post("/api/v1/vms", "{\"name\":\"web-7\",\"flavor\":\"small\",\"image\":\"cirros\"}");

        TestResponse refused = api.post("/api/v1/vms", web(10));

        JsonNode error = refused.assertError(409, "ALREADY_EXISTS");
        assertThat(error.path("message").asText()).contains("web-7");
        assertThat(api.liveVms()).extracting(Vm::name).containsExactly("web-7");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameGangAndAnotherNameIs422() {
        TestResponse first = api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "gang-key")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(web(3))));
        TestResponse again = api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "gang-key")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(web(3))));
        TestResponse other = api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "gang-key")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":3}")));

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).isEqualTo(first.json());
        other.assertError(422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(api.liveVms()).hasSize(3);
    }

    @Test
    void aGangIsPlacedWhole() {
        api.registerHost("node-1");
        api.registerHost("node-2");
        api.post("/api/v1/vms", web(4));

        api.placeAndRun();

        assertThat(api.liveVms())
                .hasSize(4)
                .allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.RUNNING));
    }
}
