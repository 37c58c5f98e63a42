package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.controller.identity.NewUser;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas through the API: a new project's default limits, admins alone change them, a project's users read them, a
 * create past a limit is 403 QUOTA_EXCEEDED and changes nothing, a delete gives the room back.
 */
class QuotaApiTest {
    private static final String PASSWORD = "correct horse battery staple";

    private final ApiFixture api = new ApiFixture().withCatalog();
    private final String alphaMember;
    private final String alphaAdmin;
    private final String betaAdmin;

    QuotaApiTest() {
        api.identity.createProject(ApiFixture.ADMIN, "alpha");
        api.identity.createProject(ApiFixture.ADMIN, "beta");
        alphaMember = login(user("alpha-member", "alpha", Role.MEMBER));
        alphaAdmin = login(user("alpha-admin", "alpha", Role.PROJECT_ADMIN));
        betaAdmin = login(user("beta-admin", "beta", Role.PROJECT_ADMIN));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aNewProjectHasTheDefaultLimitsAndTheAdminProjectNone() {
        JsonNode alpha = api.get("/api/v1/projects/alpha/quota").json();
        assertThat(alpha.path("project").asText()).isEqualTo("alpha");
        assertThat(alpha.path("instances").path("limit").asLong()).isEqualTo(10);
        assertThat(alpha.path("vcpus").path("limit").asLong()).isEqualTo(20);
        assertThat(alpha.path("memoryMib").path("limit").asLong()).isEqualTo(51200);
        assertThat(alpha.path("volumes").path("limit").asLong()).isEqualTo(10);
        assertThat(alpha.path("instances").path("used").asLong()).isZero();

        JsonNode admin = api.get("/api/v1/projects/admin/quota").json();
        assertThat(admin.path("instances").path("limit").isNull()).isTrue();
    }

    @Test
    void onlyAdminsChangeLimitsAndAProjectsUsersReadThem() {
        as(alphaAdmin, put("/api/v1/projects/alpha/quota", "{\"instances\": 100}"))
                .assertError(403, "PERMISSION_DENIED");
        as(alphaMember, put("/api/v1/projects/alpha/quota", "{\"instances\": 100}"))
                .assertError(403, "PERMISSION_DENIED");
        as(betaAdmin, get("/api/v1/projects/alpha/quota")).assertError(404, "NOT_FOUND");

        TestResponse read = as(alphaMember, get("/api/v1/projects/alpha/quota"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("instances").path("limit").asLong()).isEqualTo(10);

        TestResponse set = api.send(api.request("/api/v1/projects/alpha/quota")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"instances\": 3, \"vcpus\": -1}", UTF_8)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("instances").path("limit").asLong()).isEqualTo(3);
        assertThat(set.json().path("vcpus").path("limit").isNull()).isTrue();
        assertThat(set.json().path("memoryMib").path("limit").asLong())
                .as("a limit not named stays")
                .isEqualTo(51200);
    }

    @Test
    void badLimitsAreRefusedAndChangeNothing() {
        for (String body :
                new String[] {"{}", "{\"instances\": -2}", "{\"instances\": 1e3}", "{\"bogus\": 1}", "null"}) {
            api.send(api.request("/api/v1/projects/alpha/quota")
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body, UTF_8)))
                    .assertError(400, "INVALID_ARGUMENT");
        }
        assertThat(api.get("/api/v1/projects/alpha/quota")
                        .json()
                        .path("instances")
                        .path("limit")
                        .asLong())
                .isEqualTo(10);
    }

    @Test
    void aCreatePastTheLimitIsRefusedAndADeleteGivesTheRoomBack() {
        setQuota("{\"instances\": 2}");
        as(alphaMember, post("/api/v1/vms", vm("one")));
        as(alphaMember, post("/api/v1/vms", vm("two")));

        JsonNode error = as(alphaMember, post("/api/v1/vms", vm("three"))).assertError(403, "QUOTA_EXCEEDED");
        assertThat(error.path("details").path("resource").asText()).isEqualTo("instances");
        assertThat(error.path("details").path("limit").asLong()).isEqualTo(2);
        assertThat(error.path("details").path("used").asLong()).isEqualTo(2);
        assertThat(as(alphaMember, get("/api/v1/vms/three")).status()).isEqualTo(404);

        JsonNode gang = as(
                        alphaMember,
                        post(
                                "/api/v1/vms",
                                "{\"name\":\"g\",\"flavor\":\"small\",\"image\":\"cirros\"," + "\"count\":2}"))
                .assertError(403, "QUOTA_EXCEEDED");
        assertThat(gang.path("details").path("requested").asLong()).isEqualTo(2);

        assertThat(as(alphaMember, delete("/api/v1/vms/one")).status()).isEqualTo(202);
        assertThat(as(alphaMember, get("/api/v1/projects/alpha/quota"))
                        .json()
                        .path("instances")
                        .path("used")
                        .asLong())
                .isEqualTo(1);
        assertThat(as(alphaMember, post("/api/v1/vms", vm("three"))).status()).isEqualTo(202);
    }

    @Test
    void volumesAreCountedToo() {
        setQuota("{\"volumes\": 1}");
        assertThat(as(alphaMember, post("/api/v1/volumes", "{\"name\":\"a\",\"sizeGib\":1}"))
                        .status())
                .isEqualTo(201);
        as(alphaMember, post("/api/v1/volumes", "{\"name\":\"b\",\"sizeGib\":1}"))
                .assertError(403, "QUOTA_EXCEEDED");
    }

    private void setQuota(String body) {
        TestResponse response = api.send(api.request("/api/v1/projects/alpha/quota")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, UTF_8)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static String vm(String name) {
        return "{\"name\":\"" + name + "\",\"flavor\":\"small\",\"image\":\"cirros\"}";
    }

    private User user(String name, String project, Role role) {
        return api.identity.createUser(ApiFixture.ADMIN, new NewUser(name, project, role, UserKind.PERSON, PASSWORD));
    }

    private String login(User user) {
        return api.identity.login(user.name(), PASSWORD).secret();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(api.uri(path)).GET();
    }

    private HttpRequest.Builder delete(String path) {
        return HttpRequest.newBuilder(api.uri(path)).DELETE();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(api.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }

    private HttpRequest.Builder put(String path, String json) {
        return HttpRequest.newBuilder(api.uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }

    private TestResponse as(String token, HttpRequest.Builder request) {
        return api.send(request.header("Authorization", "Bearer " + token));
    }
}
