package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.EventFilter;
import io.vireo.model.Event;
import io.vireo.model.Host;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The VM lifecycle through the API, against the real controller services. */
class VmApiTest {
    private static final String WEB = "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}";

    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createdVmIsAcceptedPendingWithTheDocumentedFields() {
        TestResponse created = api.post("/api/v1/vms", WEB);

        assertThat(created.status()).isEqualTo(202);
        JsonNode vm = created.json();
        assertThat(created.header("Location"))
                .isEqualTo("/api/v1/vms/" + vm.path("id").asText());
        assertThat(CatalogApiTest.fieldNames(vm))
                .containsExactly(
                        "id",
                        "name",
                        "project",
                        "state",
                        "stateReason",
                        "desiredState",
                        "host",
                        "hostId",
                        "flavor",
                        "image",
                        "vcpus",
                        "memoryMib",
                        "diskGib",
                        "generation",
                        "observedGeneration",
                        "epoch",
                        "createdAt",
                        "updatedAt",
                        "startedAt",
                        "serverGroup",
                        "availabilityZone",
                        "traits",
                        "guest",
                        "nics",
                        "gangId",
                        "migration",
                        "ha");
        assertThat(vm.path("gangId").isNull()).as("created alone").isTrue();
        assertThat(vm.path("migration").isNull()).as("not migrating").isTrue();
        assertThat(vm.path("nics")).hasSize(1);
        assertThat(vm.path("nics").get(0).path("mac").asText())
                .isEqualTo(io.vireo.model.VmNic.of(
                                java.util.UUID.fromString(vm.path("id").asText()))
                        .mac());
        assertThat(vm.path("name").asText()).isEqualTo("web");
        assertThat(vm.path("project").asText()).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(vm.path("state").asText()).isEqualTo("PENDING");
        assertThat(vm.path("desiredState").asText()).isEqualTo("RUNNING");
        assertThat(vm.path("host").isNull()).isTrue();
        assertThat(vm.path("hostId").isNull()).isTrue();
        assertThat(vm.path("flavor").asText()).isEqualTo("small");
        assertThat(vm.path("image").asText()).isEqualTo("cirros");
        assertThat(vm.path("vcpus").asInt()).isEqualTo(1);
        assertThat(vm.path("memoryMib").asLong()).isEqualTo(512);
        assertThat(vm.path("generation").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/vms/web").json()).isEqualTo(vm);
        assertThat(api.get("/api/v1/vms/" + vm.path("id").asText()).json()).isEqualTo(vm);
    }

    @Test
    void aVmKeepsTheHaPolicyItWasCreatedWithAndGetsTheServersDefaultWithoutOne() {
        TestResponse created = api.post(
                "/api/v1/vms",
                "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\","
                        + "\"ha\":{\"policy\":\"restart-from-image\",\"priority\":500}}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().path("ha").toString())
                .isEqualTo("{\"policy\":\"restart-from-image\",\"priority\":500}");
        assertThat(api.get("/api/v1/vms/db").json().path("ha").toString())
                .isEqualTo("{\"policy\":\"restart-from-image\",\"priority\":500}");

        assertThat(api.post("/api/v1/vms", WEB).json().path("ha").toString())
                .isEqualTo("{\"policy\":\"restart\",\"priority\":0}");
    }

    @Test
    void aBadHaPolicyIsRefusedAndCreatesNothing() {
        TestResponse noPolicy = api.post(
                "/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\",\"ha\":{\"priority\":5}}");
        TestResponse tooHigh = api.post(
                "/api/v1/vms",
                "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\","
                        + "\"ha\":{\"policy\":\"none\",\"priority\":1001}}");
        TestResponse unknown = api.post(
                "/api/v1/vms",
                "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\",\"ha\":{\"policy\":\"twice\"}}");

        assertThat(noPolicy.status()).as(noPolicy.body()).isEqualTo(400);
        assertThat(noPolicy.body()).contains("ha.policy");
        assertThat(tooHigh.status()).as(tooHigh.body()).isEqualTo(400);
        assertThat(tooHigh.body()).contains("ha.priority");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(api.get("/api/v1/vms").json().path("items")).isEmpty();
    }

    @Test
    void consoleLogIsReadFromTheHostsAgentWithOffsetAndLimit() {
        Host host = api.registerHost("node-1");
        api.post("/api/v1/vms", WEB);
        assertThat(api.get("/api/v1/vms/web/console").status()).isEqualTo(409);
        api.placeAndRun();

        TestResponse whole = api.get("/api/v1/vms/web/console");
        TestResponse tail = api.get("/api/v1/vms/web/console?offset=-8&limit=5");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(CatalogApiTest.fieldNames(whole.json())).containsExactly("data", "offset", "nextOffset", "size");
        assertThat(whole.json().path("data").asText()).isEqualTo("fake console: booted\nlogin: \n");
        assertThat(whole.json().path("nextOffset").asLong()).isEqualTo(29);
        assertThat(tail.json().path("data").asText()).isEqualTo("login");
        assertThat(tail.json().path("offset").asLong()).isEqualTo(21);
        assertThat(tail.json().path("nextOffset").asLong()).isEqualTo(26);
        assertThat(tail.json().path("size").asLong()).isEqualTo(29);
        assertThat(api.agents.consoleReads().getLast().hostId()).isEqualTo(host.id());
        assertThat(api.get("/api/v1/vms/web/console?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/vms/nope/console").status()).isEqualTo(404);
        api.agents.consoleFailure = new VireoException(ErrorCode.UNAVAILABLE, "host node-1 is not connected");
        TestResponse unavailable = api.get("/api/v1/vms/web/console");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().path("error").path("message").asText()).isEqualTo("host node-1 is not connected");
    }

    @Test
    void placedVmShowsItsHostByNameAndRuns() {
        Host host = api.registerHost("node-1");
        api.post("/api/v1/vms", WEB);

        api.placeAndRun();

        JsonNode vm = api.get("/api/v1/vms/web").json();
        assertThat(vm.path("state").asText()).isEqualTo("RUNNING");
        assertThat(vm.path("host").asText()).isEqualTo("node-1");
        assertThat(vm.path("hostId").asText()).isEqualTo(host.id().toString());
        assertThat(vm.path("epoch").asLong()).isEqualTo(1);
        assertThat(vm.path("startedAt").asText()).isEqualTo("2026-11-02T10:00:00Z");
        JsonNode listed =
                api.get("/api/v1/vms?state=RUNNING&host=node-1").json().path("items");
        assertThat(listed).containsExactly(vm);
        assertThat(api.get("/api/v1/vms?host=" + host.id()).json().path("items"))
                .containsExactly(vm);
        assertThat(api.get("/api/v1/vms?state=STOPPED").json().path("items")).isEmpty();
    }

    @Test
    void actionsChangeTheSpecAndReachTheAgent() {
        api.registerHost("node-1");
        api.post("/api/v1/vms", WEB);
        api.placeAndRun();
        int sentBefore = api.agents.sent().size();

        TestResponse stopped = api.post("/api/v1/vms/web/stop", null, "");
        assertThat(stopped.status()).isEqualTo(202);
        assertThat(stopped.json().path("desiredState").asText()).isEqualTo("STOPPED");
        assertThat(stopped.json().path("generation").asLong()).isEqualTo(2);
        assertThat(api.agents.sent()).hasSize(sentBefore + 1);

        api.post("/api/v1/vms/web/reboot", null, "").assertError(409, "CONFLICT");

        TestResponse started = api.post("/api/v1/vms/web/start", "application/json", "{}");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().path("desiredState").asText()).isEqualTo("RUNNING");

        TestResponse rebooted = api.post("/api/v1/vms/web/reboot", null, "");
        assertThat(rebooted.status()).isEqualTo(202);
        assertThat(rebooted.json().path("generation").asLong()).isEqualTo(4);

        TestResponse deleted = api.delete("/api/v1/vms/web");
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.json().path("desiredState").asText()).isEqualTo("DELETED");
        assertThat(deleted.json().path("state").asText()).isEqualTo("DELETING");
    }

    @Test
    void pauseAndResumeChangeTheSpecAndInvalidTransitionsAreConflicts() {
        api.registerHost("node-1");
        api.post("/api/v1/vms", WEB);
        api.post("/api/v1/vms/web/pause", null, "").assertError(409, "CONFLICT");
        api.placeAndRun();
        int sentBefore = api.agents.sent().size();

        TestResponse paused = api.post("/api/v1/vms/web/pause", null, "");
        assertThat(paused.status()).isEqualTo(202);
        assertThat(paused.json().path("desiredState").asText()).isEqualTo("PAUSED");
        assertThat(paused.json().path("generation").asLong()).isEqualTo(2);
        assertThat(api.agents.sent()).hasSize(sentBefore + 1);
        api.reportAll(io.vireo.model.ObservedPower.PAUSED);
        assertThat(api.get("/api/v1/vms/web").json().path("state").asText()).isEqualTo("PAUSED");
        assertThat(api.get("/api/v1/vms/web/pause").status()).isEqualTo(405);
        assertThat(api.post("/api/v1/vms/web/pause", null, "").status())
                .as("pausing a paused VM is harmless")
                .isEqualTo(202);

        JsonNode start = api.post("/api/v1/vms/web/start", null, "").assertError(409, "CONFLICT");
        assertThat(start.path("message").asText()).isEqualTo("VM 'web' is paused; resume it instead");
        api.post("/api/v1/vms/web/reboot", null, "").assertError(409, "CONFLICT");

        TestResponse resumed = api.post("/api/v1/vms/web/resume", null, "");
        assertThat(resumed.status()).isEqualTo(202);
        assertThat(resumed.json().path("desiredState").asText()).isEqualTo("RUNNING");
        api.reportAll(io.vireo.model.ObservedPower.RUNNING);
        assertThat(api.get("/api/v1/vms/web").json().path("state").asText()).isEqualTo("RUNNING");

        api.post("/api/v1/vms/web/stop", null, "");
        api.reportAll(io.vireo.model.ObservedPower.STOPPED);
        JsonNode resume = api.post("/api/v1/vms/web/resume", null, "").assertError(409, "CONFLICT");
        assertThat(resume.path("message").asText())
                .isEqualTo("VM 'web' is not paused (state STOPPED); start it instead");
        api.post("/api/v1/vms/web/pause", null, "").assertError(409, "CONFLICT");
        api.post("/api/v1/vms/nope/pause", null, "").assertError(404, "NOT_FOUND");
        assertThat(api.get("/api/v1/vms/web").json().path("generation").asLong())
                .as("refused actions change nothing")
                .isEqualTo(5);
    }

    @Test
    void statsServeTheLatestSampleWhileTheGuestRunsAndSayWhyNot() {
        Host host = api.registerHost("node-1");
        api.post("/api/v1/vms", WEB);
        api.get("/api/v1/vms/web/stats").assertError(409, "CONFLICT");
        api.placeAndRun();
        JsonNode none = api.get("/api/v1/vms/web/stats").assertError(409, "CONFLICT");
        assertThat(none.path("message").asText()).contains("no metrics sample yet");
        java.util.UUID id = api.liveVms().getFirst().id();
        io.vireo.model.VmStats sample = new io.vireo.model.VmStats(
                id,
                ApiFixture.NOW.plusSeconds(2),
                new io.vireo.model.VmStats.Cpu(12.5, 3400, 1),
                new io.vireo.model.VmStats.Memory(220L << 20, 512L << 20, null, null),
                new io.vireo.model.VmStats.Disk(4096, 512, 8, 1),
                null,
                false);
        api.sessions.heartbeat(host.id(), io.vireo.model.HostUsage.NONE, List.of(sample));

        TestResponse stats = api.get("/api/v1/vms/web/stats");

        assertThat(stats.status()).isEqualTo(200);
        JsonNode json = stats.json();
        assertThat(CatalogApiTest.fieldNames(json))
                .containsExactly("vmId", "sampledAt", "synthetic", "cpu", "memory", "disk", "network");
        assertThat(json.path("vmId").asText()).isEqualTo(id.toString());
        assertThat(json.path("sampledAt").asText()).isEqualTo("2026-11-02T10:00:02Z");
        assertThat(json.path("cpu").path("percent").asDouble()).isEqualTo(12.5);
        assertThat(json.path("cpu").path("timeMillis").asLong()).isEqualTo(3400);
        assertThat(json.path("memory").path("residentBytes").asLong()).isEqualTo(220L << 20);
        assertThat(json.path("memory").path("guestTotalBytes").isNull()).isTrue();
        assertThat(json.path("disk").path("readOperations").asLong()).isEqualTo(8);
        assertThat(json.path("network").isNull()).isTrue();
        assertThat(api.get("/api/v1/vms/" + id + "/stats").json()).isEqualTo(json);
        api.get("/api/v1/vms/nope/stats").assertError(404, "NOT_FOUND");

        api.post("/api/v1/vms/web/stop", null, "");
        api.reportAll(io.vireo.model.ObservedPower.STOPPED);
        JsonNode stopped = api.get("/api/v1/vms/web/stats").assertError(409, "CONFLICT");
        assertThat(stopped.path("message").asText())
                .isEqualTo("VM 'web' is STOPPED; metrics are sampled only while its guest runs or is paused");
    }

    @Test
    void deletingAnUnplacedVmDeletesItAtOnce() {
        String id = api.post("/api/v1/vms", WEB).json().path("id").asText();

        JsonNode deleted = api.delete("/api/v1/vms/web").json();

        assertThat(deleted.path("state").asText()).isEqualTo("DELETED");
        api.get("/api/v1/vms/web").assertError(404, "NOT_FOUND");
        assertThat(api.get("/api/v1/vms/" + id).json().path("state").asText()).isEqualTo("DELETED");
        assertThat(api.get("/api/v1/vms").json().path("items")).isEmpty();
        assertThat(api.get("/api/v1/vms?state=DELETED").json().path("items")).hasSize(1);
    }

    @Test
    void vmNoHostCanTakeShowsWhy() {
        api.post("/api/v1/vms", WEB);

        api.placement.placePending();

        JsonNode vm = api.get("/api/v1/vms/web").json();
        assertThat(vm.path("state").asText()).isEqualTo("ERROR");
        assertThat(vm.path("stateReason").asText()).contains("no valid host");
    }

    @Test
    void aSecondVmOfTheSameNameIsAConflict() {
        api.post("/api/v1/vms", WEB);

        JsonNode error = api.post("/api/v1/vms", WEB).assertError(409, "ALREADY_EXISTS");

        assertThat(error.path("message").asText()).isEqualTo("vm 'web' already exists");
        assertThat(api.liveVms()).hasSize(1);
    }

    @Test
    void retriedCreateWithTheSameIdempotencyKeyReturnsTheSameVm() {
        TestResponse first = createWithKey(WEB, "4f1c2a-retry.1");
        TestResponse retry = createWithKey(WEB, "4f1c2a-retry.1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().path("id").asText())
                .isEqualTo(first.json().path("id").asText());
        assertThat(api.liveVms()).hasSize(1);
        List<Event> created = api.store.events().list(new EventFilter("vm", null, null, 0, 100)).stream()
                .filter(event -> event.type().equals("Created"))
                .toList();
        assertThat(created).hasSize(1);
    }

    @Test
    void differentIdempotencyKeysMakeDifferentVms() {
        createWithKey(WEB, "key-1");
        createWithKey("{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\"}", "key-2");

        assertThat(api.liveVms()).hasSize(2);
    }

    @Test
    void eventsOfAVmCarryTheirCorrelationIds() {
        api.registerHost("node-1");
        api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("X-Correlation-Id", "create-1")
                .POST(HttpRequest.BodyPublishers.ofString(WEB)));
        api.placeAndRun();

        JsonNode events = api.get("/api/v1/events?kind=vm&object=web").json();

        assertThat(events.path("items"))
                .extracting(event -> event.path("type").asText())
                .containsExactly("Created", "Scheduled", "StateChanged");
        JsonNode createdEvent = events.path("items").get(0);
        assertThat(CatalogApiTest.fieldNames(createdEvent))
                .containsExactly(
                        "sequence",
                        "createdAt",
                        "objectKind",
                        "objectId",
                        "objectName",
                        "type",
                        "message",
                        "correlationId");
        assertThat(createdEvent.path("correlationId").asText()).isEqualTo("create-1");
        assertThat(createdEvent.path("objectName").asText()).isEqualTo("web");
        JsonNode hostEvents = api.get("/api/v1/events?object=node-1").json().path("items");
        assertThat(hostEvents).extracting(event -> event.path("type").asText()).containsExactly("Registered");
        assertThat(api.get("/api/v1/events?kind=host").json().path("items")).hasSize(1);
        assertThat(api.get("/api/v1/events").json().path("items")).hasSize(4);
    }

    private TestResponse createWithKey(String body, String key) {
        return api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
