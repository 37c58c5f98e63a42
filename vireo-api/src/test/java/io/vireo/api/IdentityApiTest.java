package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.model.Project;
import io.vireo.model.User;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Projects, users, logins and tokens through the API, as an operator and a tenant use them. */
class IdentityApiTest {
    private static final String PASSWORD = "correct horse battery staple";

    private final ApiFixture api = new ApiFixture().withCatalog();

    IdentityApiTest() {
        api.registerHost("h1");
        admin("POST", "/api/v1/projects", "{\"name\":\"alpha\"}", 201);
        admin("POST", "/api/v1/projects", "{\"name\":\"beta\"}", 201);
        createPerson(ApiFixture.TOKEN, "ann", "alpha", "project-admin", 201);
        createPerson(ApiFixture.TOKEN, "bert", "beta", "member", 201);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aLoginGivesATokenShownOnceThatActsAsTheUser() {
        JsonNode issued = login("ann", PASSWORD).json();
        String token = issued.path("token").asText();

        assertThat(token).startsWith("vireo_").hasSizeGreaterThanOrEqualTo(6 + 43);
        assertThat(issued.path("role").asText()).isEqualTo("project-admin");
        assertThat(issued.path("expiresAt").asText()).isEqualTo("2026-11-02T22:00:00Z");
        JsonNode caller = call(token, "GET", "/api/v1/auth/caller", null, 200).json();
        assertThat(caller.path("user").asText()).isEqualTo("ann");
        assertThat(caller.path("role").asText()).isEqualTo("project-admin");
        TestResponse listed = call(token, "GET", "/api/v1/tokens", null, 200);
        assertThat(listed.json().path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("id").asText()).isEqualTo(issued.path("id").asText());
            assertThat(item.has("token")).isFalse();
        });
        assertThat(listed.body()).doesNotContain(token);
        assertThat(api.memory.identity().tokens().list(null, null).toString()).doesNotContain(token);
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAServiceAccountAre401Alike() {
        call(
                ApiFixture.TOKEN,
                "POST",
                "/api/v1/users",
                "{\"name\":\"bot\",\"role\":\"reader\",\"project\":\"alpha\"," + "\"serviceAccount\":true}",
                201);
        List<String> messages = new ArrayList<>();
        for (String user : List.of("ann", "nobody", "bot", "Not A Name " + "x".repeat(5000))) {
            JsonNode error = login(user, "not the password").assertError(401, "UNAUTHENTICATED");
            messages.add(error.path("message").asText());
        }
        assertThat(messages).containsOnly("unknown user or wrong password");
    }

    @Test
    void repeatedLoginsForOneUserAre429() {
        for (int i = 0; i < 10; i++) {
            login("ann", "wrong").assertError(401, "UNAUTHENTICATED");
        }
        JsonNode error = login("ann", PASSWORD).assertError(429, "TOO_MANY_REQUESTS");
        assertThat(error.path("details").path("retryAfterSeconds").asLong()).isPositive();
        assertThat(login("bert", PASSWORD).status()).isEqualTo(201);
    }

    @Test
    void noOneGrantsARoleTheyDoNotHold() {
        String ann = token("ann");
        createPerson(ann, "eve", null, "admin", 403);
        createPerson(ann, "eve", "beta", "member", 404);
        createPerson(ann, "carl", null, "member", 201);
        String carl = token("carl");
        createPerson(carl, "dora", null, "reader", 403); // members manage no users at all
        createPerson(ApiFixture.TOKEN, "root2", "alpha", "admin", 400); // admins live in the admin project

        JsonNode carlUser = call(ann, "GET", "/api/v1/users/carl", null, 200).json();
        assertThat(carlUser.path("project").asText())
                .isEqualTo(api.memory
                        .identity()
                        .projects()
                        .findByName("alpha")
                        .orElseThrow()
                        .id()
                        .toString());
        assertThat(call(ann, "GET", "/api/v1/users", null, 200)
                        .json()
                        .path("items")
                        .findValuesAsText("name"))
                .containsExactly("ann", "carl");
    }

    @Test
    void projectAdminsMakeTokensForTheirServiceAccountsOnly() {
        String ann = token("ann");
        call(ann, "POST", "/api/v1/users", "{\"name\":\"bot\",\"role\":\"reader\",\"serviceAccount\":true}", 201);
        createPerson(ann, "carl", null, "member", 201);

        String bot = call(ann, "POST", "/api/v1/tokens", "{\"user\":\"bot\",\"description\":\"ci\"}", 201)
                .json()
                .path("token")
                .asText();
        call(bot, "GET", "/api/v1/vms", null, 200);
        call(bot, "POST", "/api/v1/volumes", "{\"name\":\"v\",\"sizeGib\":1}", 403);
        call(ann, "POST", "/api/v1/tokens", "{\"user\":\"carl\"}", 403); // a person makes their own
        call(token("carl"), "POST", "/api/v1/tokens", "{\"user\":\"bot\"}", 403); // a member manages no accounts
        call(token("bert"), "POST", "/api/v1/tokens", "{\"user\":\"bot\"}", 404); // nor sees other projects'
        call(ann, "POST", "/api/v1/tokens", "{\"expiresInSeconds\":40000000}", 400);
    }

    @Test
    void deletingAUserStopsTheirTokensAtOnce() {
        String ann = token("ann");
        createPerson(ann, "carl", null, "member", 201);
        String carl = token("carl");
        call(carl, "GET", "/api/v1/vms", null, 200);

        call(ann, "DELETE", "/api/v1/users/carl", null, 204);

        call(carl, "GET", "/api/v1/vms", null, 401);
        call(ApiFixture.TOKEN, "DELETE", "/api/v1/users/admin", null, 409);
    }

    @Test
    void aRevokedTokenIsListedAsRevokedAndRefused() {
        String carl = createAndLogin("carl");
        JsonNode own = call(carl, "GET", "/api/v1/tokens", null, 200)
                .json()
                .path("items")
                .get(0);

        call(carl, "POST", "/api/v1/tokens/" + own.path("id").asText() + "/revoke", null, 204);

        call(carl, "GET", "/api/v1/vms", null, 401);
        JsonNode listed =
                call(token("ann"), "GET", "/api/v1/tokens", null, 200).json().path("items");
        assertThat(listed.findValuesAsText("user")).contains("carl", "ann");
        assertThat(listed.findValues("revokedAt").stream().filter(JsonNode::isTextual))
                .hasSize(1);
    }

    @Test
    void aProjectIsDeletedOnlyWhenEmptyAndNeverTheAdminProject() {
        call(ApiFixture.TOKEN, "DELETE", "/api/v1/projects/admin", null, 409);
        call(ApiFixture.TOKEN, "DELETE", "/api/v1/projects/beta", null, 409);
        call(ApiFixture.TOKEN, "DELETE", "/api/v1/users/bert", null, 204);

        call(ApiFixture.TOKEN, "DELETE", "/api/v1/projects/beta", null, 204);

        assertThat(call(ApiFixture.TOKEN, "GET", "/api/v1/projects", null, 200)
                        .json()
                        .path("items")
                        .findValuesAsText("name"))
                .containsExactly("admin", "alpha");
        assertThat(call(token("ann"), "GET", "/api/v1/projects", null, 200)
                        .json()
                        .path("items")
                        .findValuesAsText("name"))
                .containsExactly("alpha");
    }

    @Test
    void theAdminTokenFileActsAsTheBuiltInAdmin() {
        JsonNode caller =
                call(ApiFixture.TOKEN, "GET", "/api/v1/auth/caller", null, 200).json();

        assertThat(caller.path("userId").asText()).isEqualTo(User.ADMIN_ID.toString());
        assertThat(caller.path("project").asText()).isEqualTo(Project.ADMIN_ID.toString());
        assertThat(caller.path("role").asText()).isEqualTo("admin");
    }

    @Test
    void projectsSeeOnlyTheirOwnVmsAndThePublicImages() {
        String ann = token("ann");
        String bert = token("bert");
        String vm = "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}";
        call(ann, "POST", "/api/v1/vms", vm, 202);
        call(bert, "POST", "/api/v1/vms", vm, 202); // names are per project

        assertThat(call(ann, "GET", "/api/v1/vms", null, 200).json().path("items"))
                .hasSize(1);
        assertThat(call(ApiFixture.TOKEN, "GET", "/api/v1/vms", null, 200)
                        .json()
                        .path("items"))
                .isEmpty();
        assertThat(call(bert, "GET", "/api/v1/images", null, 200)
                        .json()
                        .path("items")
                        .findValuesAsText("name"))
                .containsExactly("cirros");
        call(bert, "DELETE", "/api/v1/images/cirros", null, 404); // public, but not theirs to change
        call(bert, "GET", "/api/v1/images/cirros", null, 200);
    }

    @Test
    void anAdminActsInAnotherProjectByNamingIt() {
        String ann = token("ann");
        call(ann, "POST", "/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}", 202);
        String alpha = api.memory
                .identity()
                .projects()
                .findByName("alpha")
                .orElseThrow()
                .id()
                .toString();

        assertThat(call(ApiFixture.TOKEN, "alpha", "GET", "/api/v1/vms", null, 200)
                        .json()
                        .path("items"))
                .singleElement()
                .satisfies(vm -> assertThat(vm.path("name").asText()).isEqualTo("web"));
        JsonNode caller = call(ApiFixture.TOKEN, "alpha", "GET", "/api/v1/auth/caller", null, 200)
                .json();
        assertThat(caller.path("project").asText()).isEqualTo(alpha);
        assertThat(caller.path("role").asText()).isEqualTo("admin");
        call(ApiFixture.TOKEN, "alpha", "POST", "/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1}", 201);
        call(ann, "GET", "/api/v1/volumes/data", null, 200);
        call(ApiFixture.TOKEN, "nowhere", "GET", "/api/v1/vms", null, 404);

        call(ann, "alpha", "GET", "/api/v1/vms", null, 200); // one's own project may be named
        call(ann, "beta", "GET", "/api/v1/vms", null, 404); // another's is not there
        call(ann, "Not A Name", "GET", "/api/v1/vms", null, 400);
    }

    private String createAndLogin(String name) {
        createPerson(token("ann"), name, null, "member", 201);
        return token(name);
    }

    private void createPerson(String token, String name, @Nullable String project, String role, int status) {
        String projectField = project == null ? "" : ",\"project\":\"" + project + "\"";
        call(
                token,
                "POST",
                "/api/v1/users",
                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"" + projectField
                        + "}",
                status);
    }

    private String token(String user) {
        TestResponse response = login(user, PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("token").asText();
    }

    private TestResponse login(String user, String password) {
        return api.send(HttpRequest.newBuilder(api.uri("/api/v1/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}", UTF_8)));
    }

    private void admin(String method, String path, String body, int status) {
        call(ApiFixture.TOKEN, method, path, body, status);
    }

    private TestResponse call(String token, String method, String path, @Nullable String json, int status) {
        return call(token, null, method, path, json, status);
    }

    private TestResponse call(
            String token, @Nullable String project, String method, String path, @Nullable String json, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Bearer " + token);
        if (project != null) {
            request.header("X-Vireo-Project", project);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8));
        }
        TestResponse response = api.send(request);
        assertThat(response.status())
                .as("%s %s: %s", method, path, response.body())
                .isEqualTo(status);
        return response;
    }
}
