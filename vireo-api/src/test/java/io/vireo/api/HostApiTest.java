package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.controller.identity.NewUser;
import io.vireo.controller.port.AuditFilter;
import io.vireo.model.AuditRecord;
import io.vireo.model.Host;
import io.vireo.model.HostReservation;
import io.vireo.model.HostUsage;
import io.vireo.model.Role;
import io.vireo.model.UserKind;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
                        "resourceGeneration",
                        "capacityPolicy",
                        "effectiveCapacity",
                        "agentReserved",
                        "capacityNote");
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
        assertThat(json.path("capacityPolicy").toString())
                .isEqualTo("{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1.0,\"memory\":1.0,\"disk\":1.0},\"overridden\":false,"
                        + "\"reservedBy\":{\"vcpus\":\"server\",\"memoryMib\":\"server\",\"diskGib\":\"server\"}}");
        assertThat(json.path("effectiveCapacity").toString())
                .isEqualTo("{\"vcpus\":16,\"memoryMib\":65536,\"diskGib\":1000}");
        assertThat(json.path("agentReserved").toString())
                .isEqualTo("{\"vcpus\":null,\"memoryMib\":null,\"diskGib\":null}");
        assertThat(json.path("capacityNote").isNull()).isTrue();
    }

    private static final String POLICY = """
            {"reserved": {"vcpus": 1, "memoryMib": 512, "diskGib": 0},
             "allocationRatios": {"vcpu": 4, "memory": 1.5, "disk": 1.0}}""";

    private TestResponse put(String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    @Test
    void anOperatorTakesAHostOutOfPlacementAndPutsItBack() {
        api.registerHost("node-1");

        TestResponse in = put("/api/v1/hosts/node-1/maintenance", "");
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(in.json().path("state").asText()).isEqualTo("MAINTENANCE");
        assertThat(put("/api/v1/hosts/node-1/maintenance", "")
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("MAINTENANCE");

        TestResponse out = api.delete("/api/v1/hosts/node-1/maintenance");
        assertThat(out.status()).as(out.body()).isEqualTo(200);
        assertThat(out.json().path("state").asText()).isEqualTo("UP");
        assertThat(api.get("/api/v1/events?kind=host").body()).contains("MAINTENANCE -> UP: by an operator");
    }

    @Test
    void onlyAHostWhoseAgentIsSilentIsEvacuatedAndTheEvacuationFencesIt() {
        Host host = api.registerHost("node-1");

        TestResponse refused = api.post("/api/v1/hosts/node-1/evacuate", "");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("only a DOWN or SUSPECT host is evacuated");
        assertThat(api.get("/api/v1/hosts/node-1").json().path("state").asText())
                .isEqualTo("UP");

        api.store.hosts().transition(host.id(), io.vireo.model.HostState.UP, io.vireo.model.HostState.DOWN);
        TestResponse evacuated = api.post("/api/v1/hosts/node-1/evacuate", "");
        assertThat(evacuated.status()).as(evacuated.body()).isEqualTo(200);
        assertThat(evacuated.json().path("state").asText()).isEqualTo("FENCED");
        assertThat(api.post("/api/v1/hosts/node-1/evacuate", "")
                        .json()
                        .path("state")
                        .asText())
                .as("again: as it is")
                .isEqualTo("FENCED");
        assertThat(put("/api/v1/hosts/node-1/maintenance", "").status()).isEqualTo(409);
        assertThat(api.post("/api/v1/hosts/nope/evacuate", "").status()).isEqualTo(404);
    }

    @Test
    void anOperatorDrainsAHostFollowsItAndCancelsIt() {
        api.registerHost("node-1");

        TestResponse started = api.post("/api/v1/hosts/node-1/drain", "");

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.json().path("draining").asBoolean()).isTrue();
        assertThat(started.json().path("correlationId").asText()).isNotEmpty();
        assertThat(api.get("/api/v1/hosts/node-1").json().path("state").asText())
                .as("a draining host takes no new VM")
                .isEqualTo("MAINTENANCE");
        String correlationId = started.json().path("correlationId").asText();
        assertThat(api.get("/api/v1/events?correlationId=" + correlationId)
                        .json()
                        .path("items"))
                .extracting(event -> event.path("type").asText())
                .containsExactly("DrainStarted");
        api.get("/api/v1/events?correlationId=no%20such").assertError(400, "INVALID_ARGUMENT");
        JsonNode progress = api.get("/api/v1/hosts/node-1/drain").json();
        assertThat(progress.path("draining").asBoolean()).isTrue();
        assertThat(progress.path("vmsOnHost").asInt()).isZero();

        api.drains.step();
        assertThat(api.get("/api/v1/hosts/node-1/drain").json().path("draining").asBoolean())
                .as("an empty host is drained at the next step")
                .isFalse();
        api.post("/api/v1/hosts/node-1/drain", "");
        TestResponse cancelled = api.delete("/api/v1/hosts/node-1/drain");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().path("draining").asBoolean()).isFalse();
        api.post("/api/v1/hosts/nope/drain", "").assertError(404, "NOT_FOUND");
    }

    @Test
    void aLostHostIsNotDrainedButEvacuated() {
        Host host = api.registerHost("node-1");
        api.store.hosts().transition(host.id(), io.vireo.model.HostState.UP, io.vireo.model.HostState.SUSPECT);

        api.post("/api/v1/hosts/node-1/drain", "").assertError(409, "CONFLICT");

        assertThat(api.store.hosts().drains()).isEmpty();
    }

    @Test
    void anOperatorSetsAHostsCapacityPolicy() {
        Host host = api.registerHost("node-1");

        TestResponse response = put("/api/v1/hosts/node-1/capacity-policy", POLICY);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.path("capacityPolicy")
                        .path("reserved")
                        .path("memoryMib")
                        .asLong())
                .isEqualTo(512);
        assertThat(json.path("capacityPolicy")
                        .path("allocationRatios")
                        .path("vcpu")
                        .asDouble())
                .isEqualTo(4.0);
        assertThat(json.path("capacityPolicy")
                        .path("allocationRatios")
                        .path("memory")
                        .asDouble())
                .isEqualTo(1.5);
        assertThat(json.path("capacityPolicy").path("overridden").asBoolean()).isTrue();
        assertThat(json.path("effectiveCapacity").toString())
                .as("(16 - 1) * 4, (65536 - 512) * 1.5, 1000")
                .isEqualTo("{\"vcpus\":60,\"memoryMib\":97536,\"diskGib\":1000}");
        assertThat(json.path("resourceGeneration").asLong()).isEqualTo(host.resourceGeneration() + 1);
        assertThat(api.get("/api/v1/hosts/" + host.id()).json()).isEqualTo(json);
        assertThat(api.get("/api/v1/events?kind=host&object=node-1").json().path("items"))
                .extracting(event -> event.path("type").asText())
                .contains("CapacityPolicyChanged");

        api.registerHost("node-1");
        assertThat(api.get("/api/v1/hosts/node-1")
                        .json()
                        .path("effectiveCapacity")
                        .path("vcpus")
                        .asInt())
                .as("kept when the agent registers again")
                .isEqualTo(60);
    }

    @Test
    void aPolicyBelowTheAllocationIsAConflictAndChangesNothing() {
        api.withCatalog();
        api.registerHost("node-1");
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/vms", "{\"name\":\"vm" + i + "\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                            .status())
                    .isEqualTo(202);
        }
        api.placeAndRun();
        JsonNode before = api.get("/api/v1/hosts/node-1").json();
        assertThat(before.path("allocated").path("vcpus").asInt()).isEqualTo(3);

        put("/api/v1/hosts/node-1/capacity-policy", """
                        {"reserved": {"vcpus": 14, "memoryMib": 0, "diskGib": 0},
                         "allocationRatios": {"vcpu": 1, "memory": 1, "disk": 1}}""").assertError(409, "CONFLICT");
        assertThat(api.get("/api/v1/hosts/node-1").json()).isEqualTo(before);

        assertThat(put("/api/v1/hosts/node-1/capacity-policy", """
                                {"reserved": {"vcpus": 13, "memoryMib": 0, "diskGib": 0},
                                 "allocationRatios": {"vcpu": 1, "memory": 1, "disk": 1}}""").status())
                .as("exactly the allocation")
                .isEqualTo(200);
    }

    @Test
    void anOperatorDropsAHostsPolicyAndTheAgentsReservationAppliesAgain() {
        Host host = api.registerHost("node-1", new HostReservation(null, 1024L, null));
        assertThat(put("/api/v1/hosts/node-1/capacity-policy", POLICY).status()).isEqualTo(200);
        JsonNode overridden = api.get("/api/v1/hosts/node-1").json().path("capacityPolicy");
        assertThat(overridden.path("reservedBy").toString())
                .isEqualTo("{\"vcpus\":\"operator\",\"memoryMib\":\"operator\",\"diskGib\":\"operator\"}");

        TestResponse response = api.delete("/api/v1/hosts/node-1/capacity-policy");

        assertThat(response.status()).as(response.body()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        JsonNode json = api.get("/api/v1/hosts/node-1").json();
        assertThat(json.path("capacityPolicy").toString())
                .as("the server's default (none here) with the agent's 1 GiB")
                .isEqualTo("{\"reserved\":{\"vcpus\":0,\"memoryMib\":1024,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1.0,\"memory\":1.0,\"disk\":1.0},\"overridden\":false,"
                        + "\"reservedBy\":{\"vcpus\":\"server\",\"memoryMib\":\"agent\",\"diskGib\":\"server\"}}");
        assertThat(json.path("agentReserved").toString())
                .isEqualTo("{\"vcpus\":null,\"memoryMib\":1024,\"diskGib\":null}");
        assertThat(json.path("effectiveCapacity").toString())
                .isEqualTo("{\"vcpus\":16,\"memoryMib\":64512,\"diskGib\":1000}");
        assertThat(json.path("resourceGeneration").asLong()).isEqualTo(host.resourceGeneration() + 2);
        assertThat(api.get("/api/v1/events?kind=host&object=node-1").json().path("items"))
                .extracting(event -> event.path("type").asText())
                .contains("CapacityPolicyChanged", "CapacityPolicyReset");

        assertThat(api.delete("/api/v1/hosts/node-1/capacity-policy").status())
                .as("already the default: nothing to refuse")
                .isEqualTo(204);
        api.delete("/api/v1/hosts/node-z/capacity-policy").assertError(404, "NOT_FOUND");
        api.delete("/api/v1/hosts/" + java.util.UUID.randomUUID() + "/capacity-policy")
                .assertError(404, "NOT_FOUND");
    }

    @Test
    void droppingAPolicyBelowTheAllocationIsAConflictAndChangesNothing() {
        api.withCatalog();
        api.registerHost("node-1", new HostReservation(null, 64_000L, null)); // leaves 1,536 MiB
        put("/api/v1/hosts/node-1/capacity-policy", """
                {"reserved": {"vcpus": 0, "memoryMib": 0, "diskGib": 0},
                 "allocationRatios": {"vcpu": 1, "memory": 1, "disk": 1}}""");
        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/api/v1/vms", "{\"name\":\"vm" + i + "\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                            .status())
                    .isEqualTo(202);
        }
        api.placeAndRun();
        JsonNode before = api.get("/api/v1/hosts/node-1").json();
        assertThat(before.path("allocated").path("memoryMib").asLong()).isEqualTo(2048);
        List<String> eventsBefore = eventTypes();

        JsonNode error = api.delete("/api/v1/hosts/node-1/capacity-policy").assertError(409, "CONFLICT");

        assertThat(error.path("message").asText())
                .isEqualTo("host 'node-1' has more allocated than the server's default policy allows:"
                        + " memoryMib 2048 > 1536");
        assertThat(api.get("/api/v1/hosts/node-1").json()).as("nothing changed").isEqualTo(before);
        assertThat(eventTypes()).as("no event").isEqualTo(eventsBefore);
    }

    private List<String> eventTypes() {
        List<String> types = new java.util.ArrayList<>();
        api.get("/api/v1/events?kind=host&object=node-1")
                .json()
                .path("items")
                .forEach(event -> types.add(event.path("type").asText()));
        return types;
    }

    @Test
    void anAgentsReservationBelowTheAllocationIsExplainedAndTakesNoMoreVms() {
        api.withCatalog();
        api.registerHost("node-1");
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/vms", "{\"name\":\"vm" + i + "\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                            .status())
                    .isEqualTo(202);
        }
        api.placeAndRun();

        api.registerHost("node-1", new HostReservation(null, 64_512L, null)); // 1,024 MiB left, 1,536 allocated

        JsonNode json = api.get("/api/v1/hosts/node-1").json();
        assertThat(json.path("effectiveCapacity").path("memoryMib").asLong()).isEqualTo(1024);
        assertThat(json.path("allocated").path("memoryMib").asLong()).isEqualTo(1536);
        assertThat(json.path("capacityPolicy")
                        .path("reservedBy")
                        .path("memoryMib")
                        .asText())
                .isEqualTo("agent");
        assertThat(json.path("capacityNote").asText())
                .startsWith("more is allocated than the effective capacity (memoryMib 1536 > 1024)");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"late\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                        .status())
                .isEqualTo(202);
        api.placeAndRun();
        assertThat(api.get("/api/v1/vms/late").json().path("state").asText()).isEqualTo("ERROR");
    }

    @Test
    void badPoliciesAreRefusedWithTheFieldNamed() {
        api.registerHost("node-1");
        JsonNode before = api.get("/api/v1/hosts/node-1").json();
        String[][] cases = {
            {
                "{\"reserved\":{\"vcpus\":-1,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1}}",
                "reserved.vcpus"
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":0,\"memory\":1,\"disk\":1}}",
                "allocationRatios.vcpu"
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1,\"memory\":-2.5,\"disk\":1}}",
                "allocationRatios.memory"
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1000.5}}",
                "allocationRatios.disk"
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1e400}}",
                "allocationRatios.disk"
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":\"4\",\"memory\":1,\"disk\":1}}",
                null
            },
            {
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":NaN,\"memory\":1,\"disk\":1}}",
                null
            },
            {"{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0}}", null},
            // node-1 has 16 vCPUs, 65,536 MiB and 1,000 GiB: a reservation must be zero or below each (as an agent's)
            {reserving(1000, 0, 0), "reserved.vcpus"},
            {reserving(16, 0, 0), "reserved.vcpus"},
            {reserving(0, 65536, 0), "reserved.memoryMib"},
            {reserving(0, Long.MAX_VALUE, 0), "reserved.memoryMib"},
            {reserving(0, 0, 1000), "reserved.diskGib"},
            {reserving(15, 65535, 1001), "reserved.diskGib"},
            {reserving(99_999_999_999L, 0, 0), "reserved.vcpus"},
            {
                "{\"reserved\":{\"vcpus\":0.5,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1}}",
                null
            },
        };
        for (String[] bad : cases) {
            JsonNode error = put("/api/v1/hosts/node-1/capacity-policy", bad[0]).assertError(400, "INVALID_ARGUMENT");
            if (bad[1] != null) {
                assertThat(error.path("message").asText()).as(bad[0]).startsWith(bad[1] + ":");
            }
        }
        put("/api/v1/hosts/node-z/capacity-policy", POLICY).assertError(404, "NOT_FOUND");
        assertThat(api.get("/api/v1/hosts/node-1").json()).as("nothing changed").isEqualTo(before);
    }

    private static String reserving(long vcpus, long memoryMib, long diskGib) {
        return "{\"reserved\":{\"vcpus\":" + vcpus + ",\"memoryMib\":" + memoryMib + ",\"diskGib\":" + diskGib
                + "},\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1}}";
    }

    @Test
    void aReservationJustBelowTheTotalIsAccepted() {
        api.registerHost("node-1");

        TestResponse response = put("/api/v1/hosts/node-1/capacity-policy", reserving(15, 65535, 999));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("effectiveCapacity").toString())
                .isEqualTo("{\"vcpus\":1,\"memoryMib\":1,\"diskGib\":1}");
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

    @Test
    void anAdminDeletesAnEmptyHostInMaintenanceItsAgentIsRevokedAndTheNameIsFree() {
        Host host = api.registerHost("node-1");
        api.registerHost("node-2");
        assertThat(put("/api/v1/hosts/node-1/maintenance", "").status()).isEqualTo(200);

        TestResponse deleted = api.send(api.request("/api/v1/hosts/node-1")
                .header("X-Correlation-Id", "retire-node-1")
                .DELETE());

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        api.get("/api/v1/hosts/node-1").assertError(404, "NOT_FOUND");
        api.get("/api/v1/hosts/" + host.id()).assertError(404, "NOT_FOUND");
        assertThat(api.get("/api/v1/hosts").json().path("items"))
                .extracting(item -> item.path("name").asText())
                .containsExactly("node-2");
        assertThat(api.revokedHosts).as("the agent's certificates and stream").containsExactly(host.id());
        JsonNode events =
                api.get("/api/v1/events?correlationId=retire-node-1").json().path("items");
        assertThat(events).extracting(event -> event.path("type").asText()).containsExactly("HostDeleted");
        assertThat(events.get(0).path("objectName").asText()).isEqualTo("node-1");
        AuditRecord record = api.auditRecords
                .list(AuditFilter.builder(10).action("deleteHost").build())
                .getFirst();
        assertThat(record.target()).isEqualTo(AuditRecord.Target.of("host", host.id(), "node-1"));
        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.OK);
        assertThat(record.correlationId()).isEqualTo("retire-node-1");

        api.delete("/api/v1/hosts/node-1").assertError(404, "NOT_FOUND");
        api.delete("/api/v1/hosts/" + host.id()).assertError(404, "NOT_FOUND");
        api.delete("/api/v1/hosts/nope").assertError(404, "NOT_FOUND");
        assertThat(api.revokedHosts).as("revoked once").hasSize(1);

        Host again = api.registerHost("node-1");
        assertThat(again.id()).as("the name comes back as a new host").isNotEqualTo(host.id());
        assertThat(api.get("/api/v1/hosts/node-1").json().path("id").asText())
                .isEqualTo(again.id().toString());
    }

    @Test
    void aHostWithVmsIsNotDeletedAndTheOperatorIsToldToDrainIt() {
        api.withCatalog();
        Host host = api.registerHost("node-1");
        for (String name : List.of("web", "db")) {
            assertThat(api.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"flavor\":\"small\",\"image\":\"cirros\"}")
                            .status())
                    .isEqualTo(202);
        }
        api.placeAndRun();
        JsonNode before = api.get("/api/v1/hosts/node-1").json();

        JsonNode up = api.delete("/api/v1/hosts/node-1").assertError(409, "CONFLICT");
        assertThat(up.path("message").asText())
                .isEqualTo("host 'node-1' cannot be deleted: it is UP (in service); 2 VMs placed on it (db, web)."
                        + " Drain it first: vireo host drain node-1 (stopped VMs are not moved: start or delete"
                        + " them); then delete it again.");
        assertThat(up.path("details").path("vms").asLong()).isEqualTo(2);
        assertThat(up.path("details").path("state").asText()).isEqualTo("UP");

        assertThat(put("/api/v1/hosts/node-1/maintenance", "").status()).isEqualTo(200);
        JsonNode inMaintenance = api.delete("/api/v1/hosts/node-1").assertError(409, "CONFLICT");
        assertThat(inMaintenance.path("message").asText())
                .startsWith("host 'node-1' cannot be deleted: 2 VMs placed on it (db, web). Drain it first");
        assertThat(api.get("/api/v1/hosts/node-1").json().path("allocated"))
                .as("nothing changed")
                .isEqualTo(before.path("allocated"));
        assertThat(api.revokedHosts).isEmpty();
        assertThat(api.auditRecords
                        .list(AuditFilter.builder(10).action("deleteHost").build())
                        .getFirst()
                        .outcome())
                .isEqualTo(AuditRecord.Outcome.FAILED);
        assertThat(api.store.hosts().find(host.id())).isPresent();
    }

    @Test
    void anEmptyHostInServiceIsNotDeletedButTakenOutOfServiceFirst() {
        api.registerHost("node-1");

        JsonNode error = api.delete("/api/v1/hosts/node-1").assertError(409, "CONFLICT");

        assertThat(error.path("message").asText())
                .isEqualTo("host 'node-1' cannot be deleted: it is UP (in service). Take it out of service:"
                        + " vireo host maintenance node-1 on; then delete it again.");
        assertThat(api.get("/api/v1/hosts/node-1").status()).isEqualTo(200);
    }

    @Test
    void onlyAnAdminDeletesAHost() {
        api.registerHost("node-1");
        assertThat(put("/api/v1/hosts/node-1/maintenance", "").status()).isEqualTo(200);
        api.identity.createUser(
                ApiFixture.ADMIN,
                new NewUser("operator", "admin", Role.PROJECT_ADMIN, UserKind.PERSON, "correct horse battery staple"));
        String token =
                api.identity.login("operator", "correct horse battery staple").secret();

        api.send(HttpRequest.newBuilder(api.uri("/api/v1/hosts/node-1"))
                        .header("Authorization", "Bearer " + token)
                        .DELETE())
                .assertError(403, "PERMISSION_DENIED");

        assertThat(api.get("/api/v1/hosts/node-1").status()).isEqualTo(200);
        assertThat(api.revokedHosts).isEmpty();
    }
}
