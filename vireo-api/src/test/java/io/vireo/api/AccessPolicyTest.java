package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vireo.api.auth.AccessPolicy;
import io.vireo.api.http.Endpoint;
import io.vireo.api.http.HttpMethod;
import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import io.vireo.controller.identity.IssuedToken;
import io.vireo.controller.identity.NewToken;
import io.vireo.controller.identity.NewUser;
import io.vireo.model.Project;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access policy, checked on the router's actual routes, so that a route added without a rule fails here: every
 * route has exactly one rule (public exactly when the operation is documented public); on every route that is not
 * public, no token, a revoked token and an expired token are 401; a reader on every route that changes something is
 * 403; and a project admin of another project, on every route naming one of this project's objects, gets 404 (403
 * where the route is not open to project admins at all), and changes nothing.
 */
class AccessPolicyTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Pattern PLACEHOLDER = Pattern.compile("([a-z-]+)/\\{([A-Za-z]+)}");

    private final ApiFixture api = new ApiFixture().withCatalog();
    private final AccessPolicy policy = AccessPolicy.standard();
    private final List<Endpoint> endpoints = api.server.endpoints();
    private final String alphaAdmin;
    private final String alphaReader;
    private final String betaAdmin;
    private final IssuedToken alphaMemberToken;

    AccessPolicyTest() {
        api.registerHost("h1");
        api.identity.createProject(ApiFixture.ADMIN, "alpha");
        api.identity.createProject(ApiFixture.ADMIN, "beta");
        alphaAdmin = login(user("alpha-admin", "alpha", Role.PROJECT_ADMIN));
        alphaReader = login(user("alpha-reader", "alpha", Role.READER));
        User member = user("alpha-member", "alpha", Role.MEMBER);
        betaAdmin = login(user("beta-admin", "beta", Role.PROJECT_ADMIN));
        alphaMemberToken = api.identity.createToken(
                new RequestContext(Principal.of(member), "test"), new NewToken(null, "ci", null));
        // alpha's objects, made through the API by alpha's project admin
        as(alphaAdmin, post("/api/v1/vms", "{\"name\":\"alpha-vm\",\"flavor\":\"small\",\"image\":\"cirros\"}"), 202);
        as(alphaAdmin, post("/api/v1/volumes", "{\"name\":\"alpha-volume\",\"sizeGib\":1}"), 201);
        as(alphaAdmin, post("/api/v1/server-groups", "{\"name\":\"alpha-group\",\"policy\":\"affinity\"}"), 201);
        as(alphaAdmin, post("/api/v1/images", "{\"name\":\"alpha-image\",\"format\":\"qcow2\"}"), 201);
        as(alphaAdmin, post("/api/v1/networks", "{\"name\":\"alpha-net\"}"), 201);
        as(
                alphaAdmin,
                post(
                        "/api/v1/subnets",
                        "{\"name\":\"alpha-subnet\",\"network\":\"alpha-net\",\"cidr\":\"10.0.0.0/24\"}"),
                201);
        as(alphaAdmin, post("/api/v1/ports", "{\"network\":\"alpha-net\",\"name\":\"alpha-port\"}"), 201);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyRouteHasOneRuleAndEveryRuleARoute() {
        assertThat(endpoints).hasSizeGreaterThan(40);
        for (Endpoint endpoint : endpoints) {
            AccessPolicy.Rule rule = policy.rule(endpoint.method().name(), endpoint.path())
                    .orElseThrow(() -> new AssertionError(endpoint + " has no rule in AccessPolicy"));
            assertThat(rule.isPublic())
                    .as("%s: public in the policy exactly when public in its operation", endpoint)
                    .isEqualTo(!endpoint.operation().authenticated());
        }
        assertThat(policy.routes())
                .containsExactlyInAnyOrderElementsOf(
                        endpoints.stream().map(Endpoint::toString).toList());
    }

    @Test
    void aRouteMissingFromTheTableIsRefusedToEveryone() {
        try (ApiFixture without = new ApiFixture(policy.without("GET /api/v1/flavors"))) {
            without.get("/api/v1/flavors").assertError(403, "PERMISSION_DENIED");
            assertThat(without.get("/api/v1/hosts").status()).isEqualTo(200);
        }
    }

    @Test
    void withoutATokenEveryRouteThatIsNotPublicIs401() {
        for (Endpoint endpoint : guarded()) {
            api.send(request(endpoint, null)).assertError(401, "UNAUTHENTICATED");
        }
    }

    @Test
    void aRevokedTokenIs401OnEveryRouteAtOnce() {
        IssuedToken revoked = api.identity.createToken(context("alpha-admin"), new NewToken(null, "ci", null));
        as(revoked.secret(), HttpRequest.newBuilder(api.uri("/api/v1/vms")).GET(), 200);

        as(alphaAdmin, post("/api/v1/tokens/" + revoked.token().id() + "/revoke", ""), 204);

        for (Endpoint endpoint : guarded()) {
            api.send(request(endpoint, revoked.secret())).assertError(401, "UNAUTHENTICATED");
        }
    }

    @Test
    void anExpiredTokenIs401OnEveryRoute() {
        IssuedToken shortLived =
                api.identity.createToken(context("alpha-admin"), new NewToken(null, "short", Duration.ofMinutes(1)));
        as(shortLived.secret(), HttpRequest.newBuilder(api.uri("/api/v1/vms")).GET(), 200);

        api.identityClock.advance(Duration.ofMinutes(1));

        for (Endpoint endpoint : guarded()) {
            api.send(request(endpoint, shortLived.secret())).assertError(401, "UNAUTHENTICATED");
        }
    }

    @Test
    void aReaderIs403OnEveryRouteThatChangesSomething() {
        List<Endpoint> mutating = guarded().stream()
                .filter(endpoint -> endpoint.method() != HttpMethod.GET)
                .toList();
        assertThat(mutating).hasSizeGreaterThan(20);
        for (Endpoint endpoint : mutating) {
            api.send(request(endpoint, alphaReader)).assertError(403, "PERMISSION_DENIED");
        }
        assertNothingChanged();
    }

    @Test
    void aReaderReadsWhatTheRulesLetEveryoneRead() {
        for (Endpoint endpoint : guarded()) {
            AccessPolicy.Rule rule = rule(endpoint);
            if (endpoint.method() == HttpMethod.GET && !rule.allows(Role.READER)) {
                api.send(request(endpoint, alphaReader)).assertError(403, "PERMISSION_DENIED");
            }
        }
        for (String path : List.of(
                "/api/v1/vms/alpha-vm",
                "/api/v1/volumes/alpha-volume",
                "/api/v1/server-groups/alpha-group",
                "/api/v1/images/alpha-image",
                "/api/v1/images/cirros",
                "/api/v1/projects/alpha",
                "/api/v1/hosts/h1",
                "/api/v1/flavors/small")) {
            as(alphaReader, HttpRequest.newBuilder(api.uri(path)).GET(), 200);
        }
    }

    @Test
    void theCloudsMetricsAndAlertsAreForTheAdminProjectsUsersOnly() {
        List<Endpoint> cloud = endpoints.stream()
                .filter(endpoint -> rule(endpoint).scope() == AccessPolicy.Scope.CLOUD)
                .toList();
        assertThat(cloud)
                .extracting(Endpoint::path)
                .containsExactlyInAnyOrder(
                        "/metrics", "/api/v1/metrics/targets", "/api/v1/alerts", "/api/v1/alerts/rules");
        String operationsReader = login(user("ops-reader", Project.ADMIN_NAME, Role.READER));
        for (Endpoint endpoint : cloud) {
            for (String outsider : List.of(alphaAdmin, alphaReader, betaAdmin)) {
                TestResponse refused = api.send(request(endpoint, outsider));
                refused.assertError(403, "PERMISSION_DENIED");
                assertThat(refused.body()).contains("only users of the admin project");
            }
            assertThat(api.send(request(endpoint, operationsReader)).status())
                    .as(endpoint.toString())
                    .isEqualTo(200);
            api.send(request(endpoint, null)).assertError(401, "UNAUTHENTICATED");
        }
    }

    @Test
    void anotherProjectsAdminGets404OnEveryRouteNamingThisProjectsObjects() {
        List<Endpoint> naming = guarded().stream()
                .filter(endpoint -> rule(endpoint).scope() == AccessPolicy.Scope.PROJECT)
                .filter(endpoint -> endpoint.path().contains("{"))
                .toList();
        assertThat(naming).hasSizeGreaterThan(15);
        for (Endpoint endpoint : naming) {
            int expected = rule(endpoint).allows(Role.PROJECT_ADMIN) ? 404 : 403;
            TestResponse response = api.send(request(endpoint, betaAdmin));
            assertThat(response.status())
                    .as("%s: %s", endpoint, response.body())
                    .isEqualTo(expected);
        }
        assertNothingChanged();
    }

    private void assertNothingChanged() {
        for (String path : List.of(
                "/api/v1/vms/alpha-vm",
                "/api/v1/volumes/alpha-volume",
                "/api/v1/server-groups/alpha-group",
                "/api/v1/images/alpha-image",
                "/api/v1/networks/alpha-net",
                "/api/v1/subnets/alpha-subnet",
                "/api/v1/ports/alpha-port",
                "/api/v1/users/alpha-member",
                "/api/v1/projects/alpha")) {
            as(alphaAdmin, HttpRequest.newBuilder(api.uri(path)).GET(), 200);
        }
        assertThat(api.liveVms())
                .singleElement()
                .satisfies(vm -> assertThat(vm.generation()).isEqualTo(1));
        assertThat(api.identity.authenticate(alphaMemberToken.secret())).isPresent();
        as(
                alphaMemberToken.secret(),
                HttpRequest.newBuilder(api.uri("/api/v1/vms")).GET(),
                200);
    }

    /** Every route that is not public. */
    private List<Endpoint> guarded() {
        List<Endpoint> guarded = endpoints.stream()
                .filter(endpoint -> !rule(endpoint).isPublic())
                .toList();
        assertThat(guarded).hasSizeGreaterThan(40);
        return guarded;
    }

    private AccessPolicy.Rule rule(Endpoint endpoint) {
        return policy.rule(endpoint.method().name(), endpoint.path()).orElseThrow();
    }

    /** The route's request, its placeholders naming alpha's objects, with a body of the kind the route takes. */
    private HttpRequest.Builder request(Endpoint endpoint, @Nullable String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(fill(endpoint.path())));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (endpoint.operation().requestBody() != null) {
            request.header("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofString("{}", UTF_8);
        } else if (endpoint.operation().access().binaryRequestBody()) {
            request.header("Content-Type", "application/octet-stream");
            body = HttpRequest.BodyPublishers.ofString("bytes", UTF_8);
        }
        return request.method(endpoint.method().name(), body);
    }

    /** The path with each placeholder replaced by the alpha object of the collection before it. */
    private String fill(String template) {
        Map<String, String> objects = Map.ofEntries(
                Map.entry("vms", "alpha-vm"),
                Map.entry("volumes", "alpha-volume"),
                Map.entry("server-groups", "alpha-group"),
                Map.entry("images", "alpha-image"),
                Map.entry("users", "alpha-member"),
                Map.entry("tokens", alphaMemberToken.token().id().toString()),
                Map.entry("projects", "alpha"),
                Map.entry("migrations", UUID.randomUUID().toString()),
                Map.entry("hosts", "h1"),
                Map.entry("flavors", "small"),
                Map.entry("networks", "alpha-net"),
                Map.entry("subnets", "alpha-subnet"),
                Map.entry("ports", "alpha-port"));
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String object = objects.get(matcher.group(1));
            if (object == null) {
                fail("no object of this test names the placeholder of " + template + ": add one");
            }
            matcher.appendReplacement(path, matcher.group(1) + "/" + object);
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private User user(String name, String project, Role role) {
        return api.identity.createUser(ApiFixture.ADMIN, new NewUser(name, project, role, UserKind.PERSON, PASSWORD));
    }

    private RequestContext context(String userName) {
        return new RequestContext(
                Principal.of(api.memory.identity().users().findByName(userName).orElseThrow()), "test");
    }

    private String login(User user) {
        return api.identity.login(user.name(), PASSWORD).secret();
    }

    private HttpRequest.Builder post(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path));
        if (!json.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }

    private TestResponse as(String token, HttpRequest.Builder request, int expectedStatus) {
        TestResponse response = api.send(request.header("Authorization", "Bearer " + token));
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return response;
    }
}
