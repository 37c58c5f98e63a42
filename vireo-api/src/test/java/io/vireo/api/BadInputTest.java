package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.api.http.Endpoint;
import io.vireo.controller.SubnetRequest;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.VmFilter;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.Image;
import io.vireo.model.Network;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Subnet;
import io.vireo.model.VmState;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input the edge must refuse, one row each: the right 4xx in the one error shape, never a 500, and
 * nothing created or recorded afterwards.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final int MAX_BODY = 1024 * 1024;

    private static final List<String> BAD_NAMES = List.of(
            "a;rm -rf /",
            "$(id)",
            "`id`",
            "a\nb",
            "a\u0000b",
            "a".repeat(300),
            "Uppercase",
            "",
            "-leading",
            "trailing-",
            "with space",
            "../etc/passwd",
            "caf\u00e9");

    /** Bodies that are JSON but not an object: every route taking a JSON body refuses them alike. */
    private static final List<String> NOT_OBJECTS =
            List.of("null", " null\n", "[]", "[{\"name\":\"ok\"}]", "42", "-1.5", "\"web\"", "true", "false");

    /**
     * Every route that takes a JSON body, with its path parameters filled in ({@link #theTableHasEveryJsonBodyRoute}
     * keeps it complete).
     */
    private static final Map<String, String> JSON_BODY_ROUTES = Map.ofEntries(
            Map.entry("POST /api/v1/vms", "/api/v1/vms"),
            Map.entry("POST /api/v1/flavors", "/api/v1/flavors"),
            Map.entry("POST /api/v1/images", "/api/v1/images"),
            Map.entry("POST /api/v1/volumes", "/api/v1/volumes"),
            Map.entry("POST /api/v1/server-groups", "/api/v1/server-groups"),
            Map.entry("POST /api/v1/networks", "/api/v1/networks"),
            Map.entry("POST /api/v1/subnets", "/api/v1/subnets"),
            Map.entry("POST /api/v1/ports", "/api/v1/ports"),
            Map.entry("PUT /api/v1/hosts/{nameOrId}/capacity-policy", "/api/v1/hosts/h1/capacity-policy"),
            Map.entry("POST /api/v1/hosts/join-tokens", "/api/v1/hosts/join-tokens"),
            Map.entry("POST /api/v1/vms/{nameOrId}/actions/migrate", "/api/v1/vms/ok/actions/migrate"),
            Map.entry("POST /api/v1/auth/tokens", "/api/v1/auth/tokens"),
            Map.entry("POST /api/v1/projects", "/api/v1/projects"),
            Map.entry("PUT /api/v1/projects/{name}/quota", "/api/v1/projects/admin/quota"),
            Map.entry("POST /api/v1/users", "/api/v1/users"),
            Map.entry("POST /api/v1/tokens", "/api/v1/tokens"));

    private final ApiFixture api = new ApiFixture(MAX_BODY, store -> store).withCatalog();

    /** A small host registered without an event: 2 vCPUs, 4,096 MiB, 20 GiB, the server's default policy. */
    private final Host host = api.store
            .hosts()
            .register(new HostRegistration("h1", new Resources(2, 4096, 20), List.of(), "fake"), ApiFixture.NOW);

    {
        api.store
                .serverGroups()
                .create(new ServerGroup(
                        java.util.UUID.randomUUID(),
                        ApiFixture.ADMIN.projectId(),
                        "existing",
                        ApiFixture.NOW,
                        ServerGroupPolicy.ANTI_AFFINITY,
                        1));
        api.networks.createNetwork(ApiFixture.ADMIN, "net", null, false);
        api.networks.createSubnet(
                ApiFixture.ADMIN,
                SubnetRequest.parse("net-v4", "net", "10.0.0.0/24", null, null, false, List.of(), List.of()));
    }

    /** One bad request and what it must get. */
    @SuppressWarnings("ArrayRecordComponent") // test data: never compared, never changed
    record Case(
            String description,
            String method,
            String path,
            @Nullable String contentType,
            byte[] body,
            Map<String, String> headers,
            int status,
            String code,
            String messageFragment) {
        @Override
        public String toString() {
            return description;
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithTheErrorShapeAndNoSideEffect(Case bad) {
        TestResponse response = api.send(request(bad));

        assertThat(response.status()).as("%s: %s", bad, response.body()).isBetween(400, 499);
        JsonNode error = response.assertError(bad.status(), bad.code());
        assertThat(error.path("message").asText()).as(bad.description()).contains(bad.messageFragment());
        assertThat(api.catalog.flavors()).extracting(Flavor::name).containsExactly("small");
        assertThat(api.catalog.images(ApiFixture.ADMIN)).extracting(Image::name).containsExactly("cirros");
        assertThat(api.liveVms()).isEmpty();
        assertThat(api.vms
                        .list(new VmFilter(null, VmState.DELETED, null, 10, null))
                        .items())
                .isEmpty();
        assertThat(api.store.events().list(new EventFilter(null, null, null, 0, 10)))
                .isEmpty();
        assertThat(api.store.serverGroups().list(ApiFixture.ADMIN.projectId()))
                .extracting(ServerGroup::name)
                .containsExactly("existing");
        assertThat(api.store.hosts().list()).containsExactly(host);
        assertThat(api.agentCredentials.listUsableJoinTokens(ApiFixture.NOW, 10))
                .isEmpty();
        assertThat(api.networks.networks(ApiFixture.ADMIN))
                .extracting(Network::name)
                .containsExactly("net");
        assertThat(api.networks.subnets(ApiFixture.ADMIN))
                .extracting(Subnet::name)
                .containsExactly("net-v4");
        assertThat(api.networks.ports(ApiFixture.ADMIN)).isEmpty();
    }

    @Test
    void theTableHasEveryJsonBodyRoute() {
        List<String> withJsonBodies = api.server.endpoints().stream()
                .filter(endpoint -> endpoint.operation().requestBody() != null)
                .map(Endpoint::toString)
                .toList();

        assertThat(JSON_BODY_ROUTES.keySet()).containsExactlyInAnyOrderElementsOf(withJsonBodies);
    }

    private HttpRequest.Builder request(Case bad) {
        HttpRequest.Builder request = api.request(bad.path());
        bad.headers().forEach(request::header);
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        return switch (bad.method()) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            case "POST-CHUNKED" ->
                request.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bad.body())));
            default -> request.method(bad.method(), HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        };
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        names(cases);
        notObjects(cases);
        capacityPolicies(cases);
        references(cases);
        sizes(cases);
        unknownFieldsAndTypes(cases);
        malformed(cases);
        mediaTypesAndLimits(cases);
        queries(cases);
        paths(cases);
        placementConstraints(cases);
        serverGroups(cases);
        NetworkBadInput.add(cases, BAD_NAMES);
        return cases.stream();
    }

    private static void names(List<Case> cases) {
        for (String name : BAD_NAMES) {
            String shown = name.length() > 20 ? name.length() + " characters" : JSON_ESCAPED(name);
            cases.add(post("vm named " + shown, "/api/v1/vms", vm(name, "small", "cirros"), 400, "name:"));
            cases.add(post("flavor named " + shown, "/api/v1/flavors", flavor(name, 1, 512, 1), 400, "name:"));
            cases.add(post(
                    "image named " + shown, "/api/v1/images", object("name", name, "format", "qcow2"), 400, "name:"));
        }
        cases.add(post("vm with flavor $(id)", "/api/v1/vms", vm("ok", "$(id)", "cirros"), 400, "flavor:"));
        cases.add(post("vm with image a;b", "/api/v1/vms", vm("ok", "small", "a;b"), 400, "image:"));
    }

    private static void notObjects(List<Case> cases) {
        for (Map.Entry<String, String> route : new java.util.TreeMap<>(JSON_BODY_ROUTES).entrySet()) {
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            for (String body : NOT_OBJECTS) {
                cases.add(error(
                        route.getKey() + " with body " + body.strip(),
                        method,
                        route.getValue(),
                        body,
                        400,
                        "INVALID_ARGUMENT",
                        "the request body must be a JSON object"));
            }
        }
        // An action takes no body or {}: JSON that is not an object is refused alike.
        for (String body : NOT_OBJECTS) {
            cases.add(
                    post("stop with body " + body.strip(), "/api/v1/vms/ok/stop", body, 400, "must be a JSON object"));
        }
    }

    /** Host h1 has 2 vCPUs, 4,096 MiB and 20 GiB: an operator may reserve below each, as its agent may. */
    private static void capacityPolicies(List<Case> cases) {
        String path = "/api/v1/hosts/h1/capacity-policy";
        cases.add(put(
                "reserve 1,000 vCPUs of 2", path, policy("1000", "0", "0"), "reserved.vcpus: must be zero or below"));
        cases.add(put("reserve all 2 vCPUs", path, policy("2", "0", "0"), "reserved.vcpus: must be zero or below"));
        cases.add(put("reserve all the memory", path, policy("0", "4096", "0"), "reserved.memoryMib: must be zero"));
        cases.add(put("reserve 21 GiB of 20", path, policy("0", "0", "21"), "reserved.diskGib: must be zero"));
        cases.add(
                put("reserve Long.MAX_VALUE MiB", path, policy("0", Long.toString(Long.MAX_VALUE), "0"), "memoryMib"));
        cases.add(put("reserve vCPUs beyond int", path, policy("3000000000", "0", "0"), "reserved.vcpus: number out"));
        cases.add(put("reserve -1 GiB", path, policy("0", "0", "-1"), "reserved.diskGib: must not be negative"));
        cases.add(put("reserved vcpus null", path, policy("null", "0", "0"), "reserved.vcpus: must not be null"));
        cases.add(put("reserved vcpus \"1\"", path, policy("\"1\"", "0", "0"), "reserved.vcpus: must be an integer"));
        cases.add(put(
                "reserved null",
                path,
                "{\"reserved\":null,\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1}}",
                "reserved: must not be null"));
        cases.add(put(
                "allocation ratios null",
                path,
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},\"allocationRatios\":null}",
                "allocationRatios: must not be null"));
        cases.add(put(
                "ratio 1e309",
                path,
                "{\"reserved\":{\"vcpus\":0,\"memoryMib\":0,\"diskGib\":0},"
                        + "\"allocationRatios\":{\"vcpu\":1e309,\"memory\":1,\"disk\":1}}",
                "allocationRatios.vcpu"));
    }

    private static Case put(String description, String path, String json, String messageFragment) {
        return error(description, "PUT", path, json, 400, "INVALID_ARGUMENT", messageFragment);
    }

    private static String policy(String vcpus, String memoryMib, String diskGib) {
        return "{\"reserved\":{\"vcpus\":" + vcpus + ",\"memoryMib\":" + memoryMib + ",\"diskGib\":" + diskGib
                + "},\"allocationRatios\":{\"vcpu\":1,\"memory\":1,\"disk\":1}}";
    }

    private static void references(List<Case> cases) {
        cases.add(error(
                "unknown flavor",
                "POST",
                "/api/v1/vms",
                vm("ok", "huge", "cirros"),
                404,
                "NOT_FOUND",
                "flavor 'huge' not found"));
        cases.add(error(
                "unknown image",
                "POST",
                "/api/v1/vms",
                vm("ok", "small", "windows"),
                404,
                "NOT_FOUND",
                "image 'windows' not found"));
    }

    private static void sizes(List<Case> cases) {
        cases.add(
                post("negative vcpus", "/api/v1/flavors", flavor("f", -1, 512, 1), 400, "vcpus: must not be negative"));
        cases.add(post(
                "negative memory", "/api/v1/flavors", flavor("f", 1, -512, 1), 400, "memoryMib: must not be negative"));
        cases.add(post(
                "negative disk", "/api/v1/flavors", flavor("f", 1, 512, -1), 400, "diskGib: must not be negative"));
        cases.add(post(
                "vcpus beyond the limit", "/api/v1/flavors", flavor("f", 5000, 512, 1), 400, "vcpus: must be between"));
        cases.add(post(
                "memory of Long.MAX_VALUE", "/api/v1/flavors", flavor("f", 1, Long.MAX_VALUE, 1), 400, "memoryMib:"));
        String overflow = "{\"name\":\"f\",\"vcpus\":1,\"memoryMib\":99999999999999999999,\"diskGib\":1}";
        cases.add(post("overflowing memory", "/api/v1/flavors", overflow, 400, "memoryMib: number out of range"));
        String overflowVcpus = "{\"name\":\"f\",\"vcpus\":99999999999999999999,\"memoryMib\":512,\"diskGib\":1}";
        cases.add(post("overflowing vcpus", "/api/v1/flavors", overflowVcpus, 400, "vcpus: number out of range"));
        String longNumber = "{\"name\":\"f\",\"vcpus\":1" + "0".repeat(40) + ",\"memoryMib\":512,\"diskGib\":1}";
        cases.add(post("40-digit number", "/api/v1/flavors", longNumber, 400, "too long"));
        cases.add(post("exponent", "/api/v1/flavors", flavorWith("vcpus", "1e3"), 400, "vcpus: must be an integer"));
    }

    private static void unknownFieldsAndTypes(List<Case> cases) {
        String extra = "{\"name\":\"ok\",\"flavor\":\"small\",\"image\":\"cirros\",\"admin\":true}";
        cases.add(post("unknown field", "/api/v1/vms", extra, 400, "admin: unknown field"));
        String nested = "{\"name\":\"ok\",\"flavor\":\"small\",\"image\":\"cirros\",\"meta\":{\"a\":1}}";
        cases.add(post("unknown object field", "/api/v1/vms", nested, 400, "meta: unknown field"));
        cases.add(post(
                "vcpus as a string",
                "/api/v1/flavors",
                flavorWith("vcpus", "\"2\""),
                400,
                "vcpus: must be an integer"));
        cases.add(post(
                "vcpus as a fraction",
                "/api/v1/flavors",
                flavorWith("vcpus", "2.5"),
                400,
                "vcpus: must be an integer"));
        cases.add(
                post("vcpus as 2.0", "/api/v1/flavors", flavorWith("vcpus", "2.0"), 400, "vcpus: must be an integer"));
        cases.add(post(
                "vcpus as a boolean",
                "/api/v1/flavors",
                flavorWith("vcpus", "true"),
                400,
                "vcpus: must be an integer"));
        cases.add(post("vcpus null", "/api/v1/flavors", flavorWith("vcpus", "null"), 400, "vcpus: must not be null"));
        cases.add(post(
                "name as a number",
                "/api/v1/vms",
                "{\"name\":5,\"flavor\":\"small\",\"image\":\"cirros\"}",
                400,
                "name: must be a string"));
        cases.add(post(
                "name as an array",
                "/api/v1/vms",
                "{\"name\":[\"a\"],\"flavor\":\"small\",\"image\":\"cirros\"}",
                400,
                "name: must be a string"));
        cases.add(post(
                "name null",
                "/api/v1/vms",
                "{\"name\":null,\"flavor\":\"small\",\"image\":\"cirros\"}",
                400,
                "name: must not be null"));
        cases.add(post(
                "name missing",
                "/api/v1/vms",
                "{\"flavor\":\"small\",\"image\":\"cirros\"}",
                400,
                "name: is required"));
        cases.add(post(
                "vcpus missing",
                "/api/v1/flavors",
                "{\"name\":\"f\",\"memoryMib\":512,\"diskGib\":1}",
                400,
                "vcpus: is required"));
        cases.add(post(
                "unknown image format",
                "/api/v1/images",
                object("name", "i", "format", "iso"),
                400,
                "format: must be one of qcow2, raw, kernel-initrd"));
        cases.add(post(
                "image format as a number",
                "/api/v1/images",
                "{\"name\":\"i\",\"format\":0}",
                400,
                "format: must be one of"));
        cases.add(post(
                "image format in capitals", "/api/v1/images", object("name", "i", "format", "QCOW2"), 400, "format:"));
    }

    private static void malformed(List<Case> cases) {
        cases.add(post("truncated JSON", "/api/v1/vms", "{\"name\":", 400, "malformed JSON"));
        cases.add(post("not JSON", "/api/v1/vms", "name=web", 400, "malformed JSON"));
        cases.add(post("trailing content", "/api/v1/vms", vm("ok", "small", "cirros") + " {}", 400, "malformed JSON"));
        cases.add(post("an array", "/api/v1/vms", "[]", 400, "must be a JSON object"));
        cases.add(post("a string", "/api/v1/vms", "\"web\"", 400, "must be a JSON object"));
        cases.add(post("empty body", "/api/v1/vms", "", 400, "a JSON request body is required"));
        cases.add(post(
                "duplicate field",
                "/api/v1/vms",
                "{\"name\":\"a\",\"name\":\"b\",\"flavor\":\"small\",\"image\":\"cirros\"}",
                400,
                "Duplicate field"));
        cases.add(post(
                "single quotes",
                "/api/v1/vms",
                "{'name':'a','flavor':'small','image':'cirros'}",
                400,
                "malformed JSON"));
        cases.add(post("comment", "/api/v1/vms", "/* hi */" + vm("ok", "small", "cirros"), 400, "malformed JSON"));
        cases.add(post("NaN", "/api/v1/flavors", flavorWith("vcpus", "NaN"), 400, "malformed JSON"));
        byte[] nul = "{\"name\":\"a\u0000b\",\"flavor\":\"small\",\"image\":\"cirros\"}".getBytes(UTF_8);
        cases.add(new Case(
                "raw NUL byte",
                "POST",
                "/api/v1/vms",
                JSON_TYPE,
                nul,
                Map.of(),
                400,
                "INVALID_ARGUMENT",
                "malformed JSON"));
        byte[] invalidUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
        cases.add(new Case(
                "invalid UTF-8",
                "POST",
                "/api/v1/vms",
                JSON_TYPE,
                invalidUtf8,
                Map.of(),
                400,
                "INVALID_ARGUMENT",
                "malformed JSON"));
        String deep = "{\"name\":" + "[".repeat(100) + "]".repeat(100) + "}";
        cases.add(post("deep nesting", "/api/v1/vms", deep, 400, "nested too deeply"));
    }

    private static void mediaTypesAndLimits(List<Case> cases) {
        byte[] vm = vm("ok", "small", "cirros").getBytes(UTF_8);
        for (String type : new String[] {
            "text/plain", "application/xml", "application/json; charset=iso-8859-1", "application/jsonx"
        }) {
            cases.add(new Case(
                    "content type " + type,
                    "POST",
                    "/api/v1/vms",
                    type,
                    vm,
                    Map.of(),
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "must be application/json"));
        }
        cases.add(new Case(
                "no content type",
                "POST",
                "/api/v1/vms",
                null,
                vm,
                Map.of(),
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "undeclared"));
        cases.add(new Case(
                "text body on an action",
                "POST",
                "/api/v1/vms/ok/start",
                "text/plain",
                "go".getBytes(UTF_8),
                Map.of(),
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "must be application/json"));
        cases.add(
                post("a field on an action", "/api/v1/vms/ok/start", "{\"force\":true}", 400, "force: unknown field"));
        byte[] oversized = ("{\"name\":\"f\",\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}").getBytes(UTF_8);
        cases.add(new Case(
                "oversized body",
                "POST",
                "/api/v1/flavors",
                JSON_TYPE,
                oversized,
                Map.of(),
                413,
                "PAYLOAD_TOO_LARGE",
                "larger than " + MAX_BODY));
        cases.add(new Case(
                "oversized chunked body",
                "POST-CHUNKED",
                "/api/v1/flavors",
                JSON_TYPE,
                oversized,
                Map.of(),
                413,
                "PAYLOAD_TOO_LARGE",
                "larger than"));
        for (String key : new String[] {"with space", "k".repeat(201)}) {
            cases.add(new Case(
                    "Idempotency-Key " + (key.length() > 20 ? key.length() + " characters" : key),
                    "POST",
                    "/api/v1/vms",
                    JSON_TYPE,
                    vm,
                    Map.of("Idempotency-Key", key),
                    400,
                    "INVALID_ARGUMENT",
                    "Idempotency-Key:"));
        }
    }

    private static void queries(List<Case> cases) {
        for (String limit : new String[] {"0", "1001", "-1", "abc", "1.5", "99999999999999999999", ""}) {
            cases.add(get("limit=" + limit, "/api/v1/vms?limit=" + limit, 400, "INVALID_ARGUMENT", "limit:"));
        }
        cases.add(get(
                "unknown state", "/api/v1/vms?state=BOGUS", 400, "INVALID_ARGUMENT", "state: must be one of PENDING"));
        cases.add(get("state in lower case", "/api/v1/vms?state=running", 400, "INVALID_ARGUMENT", "state:"));
        cases.add(get("unknown host", "/api/v1/vms?host=nowhere", 404, "NOT_FOUND", "host 'nowhere' not found"));
        cases.add(get("host with a space", "/api/v1/vms?host=a%20b", 400, "INVALID_ARGUMENT", "host:"));
        cases.add(get(
                "unknown query parameter",
                "/api/v1/vms?colour=red",
                400,
                "INVALID_ARGUMENT",
                "colour: unknown query parameter"));
        cases.add(get(
                "repeated query parameter",
                "/api/v1/vms?limit=1&limit=2",
                400,
                "INVALID_ARGUMENT",
                "limit: must be given once"));
        cases.add(get("long cursor", "/api/v1/vms?cursor=" + "c".repeat(300), 400, "INVALID_ARGUMENT", "cursor:"));
        cases.add(get(
                "unknown event kind",
                "/api/v1/events?kind=disk",
                400,
                "INVALID_ARGUMENT",
                "kind: must be one of vm, host"));
        cases.add(get("event cursor not a sequence", "/api/v1/events?cursor=abc", 400, "INVALID_ARGUMENT", "cursor:"));
        cases.add(get(
                "events of an unknown VM",
                "/api/v1/events?kind=vm&object=ghost",
                404,
                "NOT_FOUND",
                "vm 'ghost' not found"));
        cases.add(get("events of a bad name", "/api/v1/events?object=a%3Bb", 400, "INVALID_ARGUMENT", "object:"));
        cases.add(get(
                "query on a host",
                "/api/v1/hosts/h1?verbose=1",
                400,
                "INVALID_ARGUMENT",
                "verbose: unknown query parameter"));
    }

    private static void paths(List<Case> cases) {
        cases.add(get("VM name with ;", "/api/v1/vms/a%3Brm", 400, "INVALID_ARGUMENT", "nameOrId:"));
        cases.add(get("flavor name in capitals", "/api/v1/flavors/SMALL", 400, "INVALID_ARGUMENT", "name:"));
        cases.add(get("unknown flavor", "/api/v1/flavors/huge", 404, "NOT_FOUND", "flavor 'huge' not found"));
        cases.add(get("unknown VM", "/api/v1/vms/ghost", 404, "NOT_FOUND", "vm 'ghost' not found"));
        cases.add(get("host name with a space", "/api/v1/hosts/a%20b", 400, "INVALID_ARGUMENT", "nameOrId:"));
        cases.add(new Case(
                "drop the capacity policy of host $(id)",
                "DELETE",
                "/api/v1/hosts/%24(id)/capacity-policy",
                null,
                new byte[0],
                Map.of(),
                400,
                "INVALID_ARGUMENT",
                "nameOrId:"));
        cases.add(new Case(
                "drop the capacity policy of an unknown host",
                "DELETE",
                "/api/v1/hosts/ghost/capacity-policy",
                null,
                new byte[0],
                Map.of(),
                404,
                "NOT_FOUND",
                "host 'ghost' not found"));
        cases.add(new Case(
                "delete image $(id)",
                "DELETE",
                "/api/v1/images/%24(id)",
                null,
                new byte[0],
                Map.of(),
                400,
                "INVALID_ARGUMENT",
                "name:"));
        cases.add(new Case(
                "stop VM `id`",
                "POST",
                "/api/v1/vms/%60id%60/stop",
                null,
                new byte[0],
                Map.of(),
                400,
                "INVALID_ARGUMENT",
                "nameOrId:"));
        cases.add(new Case(
                "start unknown VM",
                "POST",
                "/api/v1/vms/ghost/start",
                null,
                new byte[0],
                Map.of(),
                404,
                "NOT_FOUND",
                "vm 'ghost' not found"));
    }

    private static void placementConstraints(List<Case> cases) {
        String vms = "/api/v1/vms";
        cases.add(post("vm in group $(id)", vms, vmWith("serverGroup", "\"$(id)\""), 400, "serverGroup:"));
        cases.add(
                post("vm in zone with a space", vms, vmWith("availabilityZone", "\"a b\""), 400, "availabilityZone:"));
        cases.add(post("vm in zone ''", vms, vmWith("availabilityZone", "\"\""), 400, "availabilityZone:"));
        cases.add(post("vm in zone 42", vms, vmWith("availabilityZone", "42"), 400, "availabilityZone: must be"));
        cases.add(post("trait a;b", vms, vmWith("traits", "[\"a;b\"]"), 400, "traits:"));
        cases.add(post("trait '!' alone", vms, vmWith("traits", "[\"!\"]"), 400, "traits:"));
        cases.add(post("trait '!!x'", vms, vmWith("traits", "[\"!!x\"]"), 400, "traits:"));
        cases.add(post("trait null", vms, vmWith("traits", "[null]"), 400, "traits: must not contain null"));
        cases.add(post("traits as a string", vms, vmWith("traits", "\"cpu.avx2\""), 400, "traits: must be"));
        cases.add(post("trait as a number", vms, vmWith("traits", "[1]"), 400, "traits"));
        cases.add(post(
                "trait required and forbidden",
                vms,
                vmWith("traits", "[\"cpu.avx2\",\"!cpu.avx2\"]"),
                400,
                "traits: trait 'cpu.avx2' is named twice"));
        String many = "["
                + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 65)
                                .mapToObj(i -> "\"t" + i + "\"")
                                .toList()) + "]";
        cases.add(post("65 traits", vms, vmWith("traits", many), 400, "traits: at most 64"));
        cases.add(post("count 0", vms, vmWith("count", "0"), 400, "count: must be 1-100"));
        cases.add(post("count 101", vms, vmWith("count", "101"), 400, "count: must be 1-100"));
        cases.add(post("count -5", vms, vmWith("count", "-5"), 400, "count: must be 1-100"));
        cases.add(post("count as a string", vms, vmWith("count", "\"20\""), 400, "count: must be"));
        cases.add(post("count 2.5", vms, vmWith("count", "2.5"), 400, "count: must be an integer"));
        cases.add(post("count true", vms, vmWith("count", "true"), 400, "count: must be"));
        cases.add(post("count beyond int", vms, vmWith("count", "99999999999"), 400, "count:"));
        cases.add(post(
                "count with a volume",
                vms,
                vmWith("count", "2,\"volumes\":[\"data1\"]"),
                400,
                "volumes: cannot be given with count"));
        cases.add(post(
                "count making names too long",
                vms,
                "{\"name\":\"" + "a".repeat(61) + "\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":10}",
                400,
                "name: with count 10"));
        cases.add(post("name missing", vms, "{\"flavor\":\"small\",\"image\":\"cirros\"}", 400, "name: is required"));
        cases.add(post(
                "image null",
                vms,
                "{\"name\":\"ok\",\"flavor\":\"small\",\"image\":null,\"traits\":[]}",
                400,
                "image: must not be null"));
        cases.add(error(
                "unknown server group",
                "POST",
                vms,
                vmWith("serverGroup", "\"ghost\""),
                404,
                "NOT_FOUND",
                "server group 'ghost' not found"));
    }

    private static void serverGroups(List<Case> cases) {
        String groups = "/api/v1/server-groups";
        for (String name : BAD_NAMES) {
            String shown = name.length() > 20 ? name.length() + " characters" : JSON_ESCAPED(name);
            cases.add(post("group named " + shown, groups, object("name", name, "policy", "affinity"), 400, "name:"));
        }
        cases.add(post("group policy sideways", groups, object("name", "g", "policy", "sideways"), 400, "policy:"));
        cases.add(post("group policy missing", groups, "{\"name\":\"g\"}", 400, "policy: is required"));
        cases.add(post(
                "group maxPerHost 0",
                groups,
                "{\"name\":\"g\",\"policy\":\"anti-affinity\",\"maxPerHost\":0}",
                400,
                "maxPerHost: must be between 1 and 1000"));
        cases.add(post(
                "group maxPerHost 1001",
                groups,
                "{\"name\":\"g\",\"policy\":\"anti-affinity\",\"maxPerHost\":1001}",
                400,
                "maxPerHost: must be between 1 and 1000"));
        cases.add(post(
                "affinity group with maxPerHost",
                groups,
                "{\"name\":\"g\",\"policy\":\"affinity\",\"maxPerHost\":2}",
                400,
                "maxPerHost: applies to anti-affinity"));
        cases.add(post(
                "group with an unknown field",
                groups,
                "{\"name\":\"g\",\"policy\":\"affinity\",\"members\":[]}",
                400,
                "members: unknown field"));
        cases.add(error(
                "group named like an existing one",
                "POST",
                groups,
                object("name", "existing", "policy", "affinity"),
                409,
                "ALREADY_EXISTS",
                "existing"));
        cases.add(new Case(
                "delete an unknown group",
                "DELETE",
                groups + "/ghost",
                null,
                new byte[0],
                Map.of(),
                404,
                "NOT_FOUND",
                "server group 'ghost' not found"));
        cases.add(get("get a group named $(id)", groups + "/%24(id)", 400, "INVALID_ARGUMENT", "name:"));
    }

    /** A valid VM body with one more field, as raw JSON. */
    private static String vmWith(String field, String rawJson) {
        String base = vm("ok", "small", "cirros");
        return base.substring(0, base.length() - 1) + ",\"" + field + "\":" + rawJson + "}";
    }

    private static Case post(String description, String path, String json, int status, String messageFragment) {
        return error(description, "POST", path, json, status, "INVALID_ARGUMENT", messageFragment);
    }

    private static Case error(
            String description, String method, String path, String json, int status, String code, String fragment) {
        return new Case(description, method, path, JSON_TYPE, json.getBytes(UTF_8), Map.of(), status, code, fragment);
    }

    private static Case get(String description, String path, int status, String code, String fragment) {
        return new Case(description, "GET", path, null, new byte[0], Map.of(), status, code, fragment);
    }

    private static String vm(String name, String flavor, String image) {
        return object("name", name, "flavor", flavor, "image", image);
    }

    private static String flavor(String name, long vcpus, long memoryMib, long diskGib) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("vcpus", vcpus);
        fields.put("memoryMib", memoryMib);
        fields.put("diskGib", diskGib);
        return write(fields);
    }

    /** A valid flavor body with one field's JSON replaced. */
    private static String flavorWith(String field, String rawJson) {
        return flavor("f", 1, 512, 1).replaceFirst("\"" + field + "\":[0-9-]+", "\"" + field + "\":" + rawJson);
    }

    private static String object(String... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return write(fields);
    }

    private static String JSON_ESCAPED(String text) {
        return write(text);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
