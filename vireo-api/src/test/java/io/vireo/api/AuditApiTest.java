package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.api.http.Endpoint;
import io.vireo.api.http.HttpMethod;
import io.vireo.controller.identity.NewUser;
import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log as the API writes and reads it: one record per call that may change something, whatever its outcome,
 * with the caller, the target, the status, the correlation id and the source address, and never a password or a token.
 */
class AuditApiTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String VM = "{\"name\":\"web-1\",\"flavor\":\"small\",\"image\":\"cirros\"}";

    private final ApiFixture api = new ApiFixture().withCatalog();
    private final User alphaAdmin;
    private final User member;
    private final User reader;

    AuditApiTest() {
        api.registerHost("h1");
        api.identity.createProject(ApiFixture.ADMIN, "alpha");
        api.identity.createProject(ApiFixture.ADMIN, "beta");
        alphaAdmin = user("alpha-admin", "alpha", Role.PROJECT_ADMIN);
        member = user("alpha-member", "alpha", Role.MEMBER);
        reader = user("alpha-reader", "alpha", Role.READER);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aMembersCreateIsRecordedOkWithItsCallerTargetCorrelationIdAndSource() {
        TestResponse created = api.send(as(member, post("/api/v1/vms", VM))
                .header("X-Correlation-Id", "create-web-1")
                .header("X-Forwarded-For", "203.0.113.9"));
        assertThat(created.status()).as(created.body()).isEqualTo(202);

        AuditRecord record = only("createVm");
        assertThat(record.actor()).isEqualTo(new AuditRecord.Actor(ActorKind.USER, member.id(), "alpha-member"));
        assertThat(record.projectId()).isEqualTo(member.projectId());
        assertThat(record.target())
                .isEqualTo(AuditRecord.Target.of(
                        "vm",
                        java.util.UUID.fromString(created.json().path("id").asText()),
                        "web-1"));
        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.OK);
        assertThat(record.httpStatus()).isEqualTo(202);
        assertThat(record.errorCode()).isNull();
        assertThat(record.correlationId()).isEqualTo("create-web-1");
        assertThat(record.sourceAddress())
                .as("the TCP peer: no proxy is trusted, so X-Forwarded-For is not")
                .isEqualTo("127.0.0.1");
        assertThat(record.createdAt()).isEqualTo(ApiFixture.NOW);
    }

    @Test
    void aReadersDeleteIsRecordedAsDenied() {
        api.send(as(member, post("/api/v1/vms", VM)));

        api.send(as(reader, HttpRequest.newBuilder(api.uri("/api/v1/vms/web-1")).DELETE()))
                .assertError(403, "PERMISSION_DENIED");

        AuditRecord record = only("deleteVm");
        assertThat(record.actor().name()).isEqualTo("alpha-reader");
        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(record.httpStatus()).isEqualTo(403);
        assertThat(record.errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(record.target()).isEqualTo(AuditRecord.Target.of("vm", null, "web-1"));
        assertThat(record.detail()).contains("role reader may not DELETE");
        assertThat(api.liveVms()).hasSize(1);
    }

    @Test
    void aBadBodyIsRecordedAsFailedNamingTheFieldNotTheValue() {
        api.send(as(member, post("/api/v1/vms", "{\"name\":\"web-1\",\"flavor\":\"small\",\"image\":7}")))
                .assertError(400, "INVALID_ARGUMENT");
        api.send(as(member, post("/api/v1/vms", "{\"name\":\"web-2\",\"flavor\":hunter2}")))
                .assertError(400, "INVALID_ARGUMENT");

        List<AuditRecord> records = records(AuditFilter.builder(10).action("createVm"));
        assertThat(records).hasSize(2).allSatisfy(record -> {
            assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
            assertThat(record.httpStatus()).isEqualTo(400);
            assertThat(record.errorCode()).isEqualTo("INVALID_ARGUMENT");
            assertThat(record.actor().name()).isEqualTo("alpha-member");
        });
        assertThat(records.get(1).detail()).isEqualTo("field image");
        assertThat(records.get(0).detail()).isEmpty(); // the parser's message quotes the body: not kept
        assertThat(records.toString()).doesNotContain("hunter2");
    }

    @Test
    void aFailedLoginIsRecordedWithTheUserNameTriedAndNeverThePassword() {
        TestResponse refused = api.send(login("alpha-member", "not-the-password-4711"));
        refused.assertError(401, "UNAUTHENTICATED");
        api.send(login("nobody-here", "another-secret-0815")).assertError(401, "UNAUTHENTICATED");

        List<AuditRecord> records = records(AuditFilter.builder(10).action("login"));
        assertThat(records).hasSize(2);
        AuditRecord wrongPassword = records.get(1);
        assertThat(wrongPassword.actor()).isEqualTo(AuditRecord.Actor.ANONYMOUS);
        assertThat(wrongPassword.target()).isEqualTo(AuditRecord.Target.of("user", null, "alpha-member"));
        assertThat(wrongPassword.outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(wrongPassword.httpStatus()).isEqualTo(401);
        assertThat(wrongPassword.sourceAddress()).isEqualTo("127.0.0.1");
        assertThat(wrongPassword.detail()).isEqualTo("unknown user or wrong password");
        assertThat(records.get(0).target().name()).isEqualTo("nobody-here");
        assertThat(records.toString()).doesNotContain("not-the-password-4711").doesNotContain("another-secret-0815");
    }

    @Test
    void aLoginIsRecordedAsTheUserWhoLoggedIn() {
        TestResponse token = api.send(login("alpha-member", PASSWORD));
        assertThat(token.status()).as(token.body()).isEqualTo(201);

        AuditRecord record = only("login");
        assertThat(record.actor()).isEqualTo(new AuditRecord.Actor(ActorKind.USER, member.id(), "alpha-member"));
        assertThat(record.projectId()).isEqualTo(member.projectId());
        assertThat(record.target()).isEqualTo(AuditRecord.Target.of("user", member.id(), "alpha-member"));
        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.OK);
        assertThat(record.toString()).doesNotContain(token.json().path("token").asText());
    }

    @Test
    void theTextOfATokenJustMadeIsNowhereInTheAuditLog() {
        TestResponse created = api.send(as(member, post("/api/v1/tokens", "{\"description\":\"ci\"}")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String secret = created.json().path("token").asText();
        TestResponse login = api.send(login("alpha-member", PASSWORD));
        String loginSecret = login.json().path("token").asText();
        api.send(as(member, post("/api/v1/hosts/join-tokens", "{}"))).assertError(403, "PERMISSION_DENIED");
        TestResponse joinToken = api.send(api.request("/api/v1/hosts/join-tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}", UTF_8)));
        assertThat(joinToken.status()).as(joinToken.body()).isEqualTo(201);
        String joinSecret = joinToken.json().path("token").asText();

        String everything = records(AuditFilter.builder(AuditFilter.MAX_LIMIT)).toString();
        assertThat(everything)
                .contains("createToken", "login", "createHostJoinToken")
                .doesNotContain(secret)
                .doesNotContain(loginSecret)
                .doesNotContain(joinSecret.substring(joinSecret.lastIndexOf('.') + 1));
        AuditRecord createToken = only("createToken");
        assertThat(createToken.target())
                .isEqualTo(AuditRecord.Target.of(
                        "token",
                        java.util.UUID.fromString(created.json().path("id").asText()),
                        null));
    }

    @Test
    void aCallWithoutATokenIsRecordedAsAnonymousWithItsSourceAddress() {
        api.send(HttpRequest.newBuilder(api.uri("/api/v1/flavors"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}", UTF_8)))
                .assertError(401, "UNAUTHENTICATED");
        api.send(HttpRequest.newBuilder(api.uri("/api/v1/flavors/small"))
                        .header("Authorization", "Bearer vireo_thisIsNotARealTokenButLooksLikeOne")
                        .DELETE())
                .assertError(401, "UNAUTHENTICATED");

        List<AuditRecord> records = records(AuditFilter.builder(10).outcome(AuditRecord.Outcome.DENIED));
        assertThat(records).hasSize(2).allSatisfy(record -> {
            assertThat(record.actor()).isEqualTo(AuditRecord.Actor.ANONYMOUS);
            assertThat(record.projectId()).isNull();
            assertThat(record.sourceAddress()).isEqualTo("127.0.0.1");
            assertThat(record.httpStatus()).isEqualTo(401);
        });
        assertThat(records.get(0).action()).isEqualTo("deleteFlavor");
        assertThat(records.get(0).detail()).isEqualTo("the bearer token is not valid");
        assertThat(records.get(1).action()).isEqualTo("createFlavor");
        assertThat(records.toString()).doesNotContain("thisIsNotARealToken");
    }

    @Test
    void readsAreNotRecordedAndTheAdminTokenIsNamedAsSuch() {
        api.get("/api/v1/vms");
        api.get("/api/v1/flavors");
        assertThat(records(AuditFilter.builder(10).actorName("admin"))).isEmpty();

        api.post("/api/v1/flavors", "{\"name\":\"medium\",\"vcpus\":2,\"memoryMib\":1024,\"diskGib\":10}");

        AuditRecord record = only("createFlavor");
        assertThat(record.actor().kind()).isEqualTo(ActorKind.ADMIN_TOKEN);
        assertThat(record.target().type()).isEqualTo("flavor");
        assertThat(record.target().name()).isEqualTo("medium");
        assertThat(record.target().id()).isNotNull();
    }

    @Test
    void aCallSucceedsAsItWouldWhenItsAuditRecordCannotBeWritten() {
        try (ApiFixture failing = ApiFixture.withAuditRecords(records -> new AuditRepository() {
            @Override
            public AuditRecord append(AuditRecord record) {
                throw new IllegalStateException("the audit table is on fire");
            }

            @Override
            public List<AuditRecord> list(AuditFilter filter) {
                return records.list(filter);
            }
        })) {
            failing.withCatalog();
            TestResponse created = failing.post("/api/v1/vms", VM);
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            failing.post("/api/v1/vms", VM).assertError(409, "ALREADY_EXISTS");
            assertThat(failing.liveVms()).hasSize(1);
        }
    }

    @Test
    void adminsReadEveryRecordProjectAdminsTheirProjectsAndMembersNone() {
        api.send(as(member, post("/api/v1/vms", VM)));
        api.post("/api/v1/flavors", "{\"name\":\"medium\",\"vcpus\":2,\"memoryMib\":1024,\"diskGib\":10}");

        JsonNode all = api.get("/api/v1/audit").json();
        assertThat(actions(all)).contains("createVm", "createFlavor");
        JsonNode alpha = api.send(as(
                        alphaAdmin,
                        HttpRequest.newBuilder(api.uri("/api/v1/audit")).GET()))
                .json();
        assertThat(actions(alpha)).contains("createVm").doesNotContain("createFlavor");
        api.send(as(member, HttpRequest.newBuilder(api.uri("/api/v1/audit")).GET()))
                .assertError(403, "PERMISSION_DENIED");
        api.send(as(reader, HttpRequest.newBuilder(api.uri("/api/v1/audit")).GET()))
                .assertError(403, "PERMISSION_DENIED");
        api.send(as(
                        alphaAdmin,
                        HttpRequest.newBuilder(api.uri("/api/v1/audit?project=beta"))
                                .GET()))
                .assertError(404, "NOT_FOUND");
        assertThat(actions(api.get("/api/v1/audit?project=alpha").json())).contains("createVm");
    }

    @Test
    void theListFiltersAndPagesNewestFirst() {
        for (int i = 1; i <= 5; i++) {
            api.send(as(member, post("/api/v1/volumes", "{\"name\":\"data-" + i + "\",\"sizeGib\":1}"))
                    .header("X-Correlation-Id", "volume-" + i));
        }
        api.send(as(reader, post("/api/v1/volumes", "{\"name\":\"data-9\",\"sizeGib\":1}")));

        JsonNode first =
                api.get("/api/v1/audit?action=createVolume&outcome=ok&limit=2").json();
        assertThat(names(first)).containsExactly("data-5", "data-4");
        String cursor = first.path("nextCursor").asText();
        JsonNode second = api.get("/api/v1/audit?action=createVolume&outcome=ok&limit=2&cursor=" + cursor)
                .json();
        assertThat(names(second)).containsExactly("data-3", "data-2");
        JsonNode denied = api.get("/api/v1/audit?outcome=denied").json();
        assertThat(actions(denied)).containsExactly("createVolume");
        assertThat(denied.path("items").get(0).path("actor").asText()).isEqualTo("alpha-reader");
        assertThat(denied.path("items").get(0).path("targetType").asText()).isEqualTo("volume");
        assertThat(actions(api.get("/api/v1/audit?actor=alpha-reader").json())).containsExactly("createVolume");
        assertThat(names(api.get("/api/v1/audit?actor=" + member.id() + "&target=data-2")
                        .json()))
                .containsExactly("data-2");
        assertThat(names(api.get("/api/v1/audit?correlationId=volume-3").json()))
                .containsExactly("data-3");
        assertThat(names(api.get("/api/v1/audit?action=createVolume&since=2026-11-02T10:00:00Z")
                        .json()))
                .hasSize(6);
        assertThat(names(api.get("/api/v1/audit?action=createVolume&until=2026-11-02T10:00:00Z")
                        .json()))
                .isEmpty();
        JsonNode record = first.path("items").get(0);
        assertThat(record.path("actorKind").asText()).isEqualTo("user");
        assertThat(record.path("outcome").asText()).isEqualTo("ok");
        assertThat(record.path("correlationId").asText()).isEqualTo("volume-5");
        api.get("/api/v1/audit?since=yesterday").assertError(400, "INVALID_ARGUMENT");
        api.get("/api/v1/audit?outcome=maybe").assertError(400, "INVALID_ARGUMENT");
        api.get("/api/v1/audit?cursor=0").assertError(400, "INVALID_ARGUMENT");
        api.get("/api/v1/audit?actor=Not%20A%20Name").assertError(400, "INVALID_ARGUMENT");
    }

    @Test
    void automaticActionsAreRecordedBesideTheCallsThatCausedThem() {
        api.send(as(member, post("/api/v1/vms", VM)));
        api.placeAndRun();

        AuditRecord placed = only("system.placeVm");
        assertThat(placed.actor()).isEqualTo(AuditRecord.Actor.system("placement"));
        assertThat(placed.outcome()).isEqualTo(AuditRecord.Outcome.OK);
        assertThat(placed.target().name()).isEqualTo("web-1");
        assertThat(placed.projectId()).isEqualTo(member.projectId());
        assertThat(placed.detail()).startsWith("on host h1");
        assertThat(only("agent.register").actor().kind()).isEqualTo(ActorKind.HOST);
    }

    @Test
    void everyRouteThatMayChangeSomethingIsRecordedWithTheTypeOfItsTarget() {
        List<Endpoint> mutating = api.server.endpoints().stream()
                .filter(endpoint -> endpoint.method() != HttpMethod.GET
                        && endpoint.operation().authenticated())
                .toList();
        assertThat(mutating).hasSizeGreaterThan(20);
        for (Endpoint endpoint : mutating) {
            String path = endpoint.path().replaceAll("\\{[A-Za-z]+}", "x");
            api.send(as(
                            reader,
                            HttpRequest.newBuilder(api.uri(path))
                                    .method(endpoint.method().name(), HttpRequest.BodyPublishers.noBody())))
                    .assertError(403, "PERMISSION_DENIED");

            AuditRecord record = only(endpoint.operation().operationId());
            assertThat(record.target().type()).as("%s", endpoint).isNotNull();
            assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        }
    }

    private AuditRecord only(String action) {
        List<AuditRecord> records = records(AuditFilter.builder(10).action(action));
        assertThat(records).as("records of %s", action).hasSize(1);
        return records.getFirst();
    }

    private List<AuditRecord> records(AuditFilter.Builder filter) {
        return api.auditRecords.list(filter.build());
    }

    private static List<String> actions(JsonNode page) {
        List<String> actions = new ArrayList<>();
        page.path("items").forEach(item -> actions.add(item.path("action").asText()));
        return actions;
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("items").forEach(item -> names.add(item.path("targetName").asText()));
        return names;
    }

    private User user(String name, String project, Role role) {
        return api.identity.createUser(ApiFixture.ADMIN, new NewUser(name, project, role, UserKind.PERSON, PASSWORD));
    }

    /** The request with a token of {@code user}'s, from a login that is not an API call (so not audited). */
    private HttpRequest.Builder as(User user, HttpRequest.Builder request) {
        return request.header(
                "Authorization",
                "Bearer " + api.identity.login(user.name(), PASSWORD).secret());
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(api.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }

    private HttpRequest.Builder login(String user, String password) {
        return post("/api/v1/auth/tokens", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }
}
