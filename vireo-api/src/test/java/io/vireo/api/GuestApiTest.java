package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.Vm;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SSH keys, user data and data volumes through the API: what a VM create accepts and refuses (4xx, nothing created),
 * the volume resource, and what the VM's agent is told.
 */
class GuestApiTest {
    static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvdoX7DkM+N+S4x5MJ/N5t9O2iGA/OFqxoH2195Fja3 user@example";
    private static final String DSA_KEY =
            "ssh-dss AAAAB3NzaC1kc3MAAACBAI5akMARaz4F+teQWL2QHRpVWFKq0iAXrP32uDV+pG9L9mVOZC5HmJ1uPedFqh+3tPot7XlcHfrsypaPTTKspOHf/C0MQJXoCSe0cXDag+Nquu/ghFh2Mv+CKNJwGV3dSGJMGqPaPb10Xukurx4XRWrEUWUAfCtcSDsjN4ac8U0XAAAAFQDhd1V3122vgPU8VDJL1ka9b/+omwAAAIAwG3dcCCcqBPbFRFWscImJw6JbeT47Tkz6LAptSiFJ/w/jOq3ccTOCjwr5WTQ2wiSU4ii/zVxnBtrjMw7EsSEnLHIdMNlmccKPxumVwc4/4sQY0En9LQ7ptA7KTuP4gulCpiFVoZo3QikSge0TqGM7LfkLh0NErfsfNWJEyA6/IAAAAIB6a9CrJQP/bg0ZKLdAUQOao9h3ZGzNJOdpkhFhon5459B4hoQFM6hfQLoEt6TTJIM4XALNgTWtpxwtKZXnLZmuW3Sivs9QOGCRdXER6ihKg6BY9e66O8RTQbKHZdZpiR8dL+8Q61y0Lj29M5RGK2f/FfZB5+p7lVke3JPiNwnbTw== user@example";
    private static final String RSA_1024 =
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDpPVUBXLx+HUBVhPYTUvb12e+I08eWU1TBfoS1l453KzSUeUJxaSwz3IBdS1WOX4p7+TKTJ0JYCCCxhuFEx0lWfL+UFpNT25yoPCA2DCCSuFSBZ8XdvvqQLF9t3kwccF4HmaS8gYPtbWXlxhRpwgwhT4S1atWy29uNXXxY7H/EUw== user@example";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    private static ObjectNode web() {
        return JSON.createObjectNode().put("name", "web").put("flavor", "small").put("image", "cirros");
    }

    static Stream<Arguments> badCreates() {
        String key = KEY.split(" ")[1];
        return Stream.of(
                Arguments.of("a DSA key", 400, "sshKeys[0]", web().set("sshKeys", array(DSA_KEY))),
                Arguments.of("a short RSA key", 400, "sshKeys[0]", web().set("sshKeys", array(RSA_1024))),
                Arguments.of(
                        "a body of another type",
                        400,
                        "sshKeys[1]",
                        web().set("sshKeys", array(KEY, "ssh-rsa " + key))),
                Arguments.of(
                        "a comment with a newline",
                        400,
                        "sshKeys[0]",
                        web().set("sshKeys", array(KEY + "\nruncmd: [reboot]"))),
                Arguments.of("an options prefix", 400, "sshKeys[0]", web().set("sshKeys", array("no-pty " + KEY))),
                Arguments.of(
                        "a null key",
                        400,
                        "sshKeys[0]",
                        web().set("sshKeys", JSON.createArrayNode().addNull())),
                Arguments.of(
                        "a key that is a number",
                        400,
                        "sshKeys",
                        web().set("sshKeys", JSON.createArrayNode().add(7))),
                Arguments.of(
                        "seventeen keys",
                        400,
                        "sshKeys",
                        web().set(
                                        "sshKeys",
                                        array(java.util.Collections.nCopies(17, KEY)
                                                .toArray(String[]::new)))),
                Arguments.of("user data without a header", 400, "userData", web().put("userData", "runcmd: [ls]")),
                Arguments.of("empty user data", 400, "userData", web().put("userData", "")),
                Arguments.of(
                        "user data over 64 KiB",
                        400,
                        "userData",
                        web().put("userData", "#!/bin/sh\n" + "x".repeat(64 * 1024))),
                Arguments.of("user data with NUL", 400, "userData", web().put("userData", "#!/bin/sh\n\u0000")),
                Arguments.of("an unknown volume", 404, "volume", web().set("volumes", array("nope"))),
                Arguments.of("a bad volume name", 400, "volumes", web().set("volumes", array("Bad_Name"))),
                Arguments.of("a volume twice", 400, "volumes", web().set("volumes", array("data", "data"))),
                Arguments.of("keepVolumes as a string", 400, "keepVolumes", web().put("keepVolumes", "yes")));
    }

    private static JsonNode array(String... values) {
        var array = JSON.createArrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void aBadGuestInputIsRefusedAndNothingIsCreated(String what, int status, String field, JsonNode body) {
        api.catalog.createVolume(ApiFixture.ADMIN, "data", 1);

        TestResponse response = api.post("/api/v1/vms", body.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("error").path("message").asText()).contains(field);
        assertThat(api.liveVms()).isEmpty();
        assertThat(api.catalog.volume(ApiFixture.ADMIN, "data").attached()).isFalse();
    }

    @Test
    void aVmCarriesItsKeysUserDataAndVolumesToItsAgent() {
        api.registerHost("node-1");
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":10}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"logs\",\"sizeGib\":1}")
                        .status())
                .isEqualTo(201);
        ObjectNode body =
                web().put("userData", "#cloud-config\npackages: [nginx]\n").put("keepVolumes", true);
        body.set("sshKeys", array("  " + KEY + "  "));
        body.set("volumes", array("logs", "data"));

        TestResponse created = api.post("/api/v1/vms", body.toString());

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        JsonNode guest = created.json().path("guest");
        assertThat(guest.path("sshKeys")).containsExactly(JSON.getNodeFactory().textNode(KEY));
        assertThat(guest.path("userData").asText()).isEqualTo("#cloud-config\npackages: [nginx]\n");
        assertThat(guest.path("volumes")).hasSize(2);
        assertThat(guest.path("volumes").get(0).path("id").asText())
                .isEqualTo(api.get("/api/v1/volumes/logs").json().path("id").asText());
        assertThat(guest.path("volumes").get(0).path("deleteOnTermination").asBoolean())
                .isFalse();
        JsonNode logs = api.get("/api/v1/volumes/logs").json();
        assertThat(logs.path("status").asText()).isEqualTo("in-use");
        assertThat(logs.path("vmId").asText())
                .isEqualTo(created.json().path("id").asText());
        assertThat(logs.path("host").isNull()).as("not placed yet").isTrue();

        api.placeAndRun();
        JsonNode placed = api.get("/api/v1/volumes/logs").json();
        assertThat(placed.path("host").asText()).isEqualTo("node-1");
        assertThat(placed.path("hostId").asText())
                .isEqualTo(String.valueOf(api.liveVms().getFirst().hostId()));
        DesiredVm sent = api.agents.sent().getLast().upserts().getFirst();
        Vm stored = api.liveVms().getFirst();
        assertThat(sent.guest()).isEqualTo(stored.guest());
        assertThat(sent.guest().sshKeys()).containsExactly(KEY);
    }

    @Test
    void aVmWithoutGuestFieldsHasNone() {
        TestResponse created = api.post("/api/v1/vms", web().toString());

        assertThat(created.status()).isEqualTo(202);
        assertThat(api.liveVms().getFirst().guest()).isEqualTo(GuestSpec.NONE);
        assertThat(created.json().path("guest").path("userData").isNull()).isTrue();
        assertThat(api.post(
                                "/api/v1/vms",
                                web().put("name", "api").putNull("userData").toString())
                        .status())
                .as("null user data is none")
                .isEqualTo(202);
    }

    @Test
    void aVolumeAttachesToOneVmAndGoesWithItUnlessKept() {
        api.registerHost("node-1");
        api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":10}");
        api.post("/api/v1/volumes", "{\"name\":\"kept\",\"sizeGib\":1}");
        api.post("/api/v1/vms", web().set("volumes", array("data")).toString());
        ObjectNode db = web().put("name", "db").put("keepVolumes", true);
        db.set("volumes", array("kept"));
        api.post("/api/v1/vms", db.toString());

        TestResponse taken = api.post(
                "/api/v1/vms",
                web().put("name", "api").set("volumes", array("data")).toString());
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("error").path("message").asText()).contains("attached to another VM");
        assertThat(api.delete("/api/v1/volumes/data").status()).isEqualTo(409);
        assertThat(api.liveVms()).extracting(Vm::name).containsExactlyInAnyOrder("web", "db");

        // Never placed: deleting them marks them DELETED at once.
        assertThat(api.delete("/api/v1/vms/web").status()).isEqualTo(202);
        assertThat(api.delete("/api/v1/vms/db").status()).isEqualTo(202);

        assertThat(api.get("/api/v1/volumes/data").status()).isEqualTo(404);
        JsonNode kept = api.get("/api/v1/volumes/kept").json();
        assertThat(kept.path("status").asText()).isEqualTo("available");
        assertThat(kept.path("vmId").isNull()).isTrue();
        assertThat(api.get("/api/v1/volumes").json().path("items")).hasSize(1);
        assertThat(api.delete("/api/v1/volumes/kept").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/volumes").json().path("items")).isEmpty();
    }

    @Test
    void badVolumesAreRefused() {
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":0}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":16385}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"../x\",\"sizeGib\":1}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\"}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1}")
                        .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/volumes/nope").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/volumes/nope").status()).isEqualTo(404);
    }
}
