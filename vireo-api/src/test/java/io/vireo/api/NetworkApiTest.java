package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /networks}, {@code /subnets} and {@code /ports} over HTTP: IPAM, deletes, and projects kept apart. */
class NetworkApiTest {
    private static final String PASSWORD = "correct horse battery staple";

    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aNetworkASubnetAndPortsWithTheirAddresses() {
        JsonNode network =
                admin("POST", "/api/v1/networks", "{\"name\":\"blue\"}", 201).json();
        JsonNode subnet = admin(
                        "POST",
                        "/api/v1/subnets",
                        "{\"name\":\"blue-v4\",\"network\":\"blue\",\"cidr\":\"10.0.0.0/29\","
                                + "\"ipv6Cidr\":\"FD00:0:0:1:0::/64\",\"dnsServers\":[\"9.9.9.9\"]}",
                        201)
                .json();
        JsonNode first = admin("POST", "/api/v1/ports", "{\"network\":\"blue\",\"name\":\"web\"}", 201)
                .json();
        JsonNode fixed = admin("POST", "/api/v1/ports", "{\"network\":\"blue\",\"ip\":\"10.0.0.6\"}", 201)
                .json();

        assertThat(network.path("vni").asInt()).isPositive();
        assertThat(network.path("mtu").asInt()).isEqualTo(1450);
        assertThat(network.path("external").asBoolean()).isFalse();
        assertThat(subnet.path("gateway").asText()).isEqualTo("10.0.0.1");
        assertThat(subnet.path("ipv6Cidr").asText()).isEqualTo("fd00:0:0:1::/64");
        assertThat(subnet.path("pools")).extracting(JsonNode::asText).containsExactly("10.0.0.2-10.0.0.6");
        assertThat(subnet.path("network").asText()).isEqualTo("blue");
        assertThat(first.path("fixedIps").get(0).path("address").asText()).isEqualTo("10.0.0.2");
        assertThat(first.path("fixedIps").get(0).path("subnetId").asText())
                .isEqualTo(subnet.path("id").asText());
        assertThat(first.path("mac").asText()).matches("[0-9a-f][26ae](:[0-9a-f]{2}){5}");
        assertThat(fixed.path("fixedIps").get(0).path("address").asText()).isEqualTo("10.0.0.6");
        assertThat(admin("GET", "/api/v1/ports/web", null, 200).json().path("id"))
                .isEqualTo(first.path("id"));
        assertThat(admin("GET", "/api/v1/ports/" + fixed.path("id").asText(), null, 200)
                        .json())
                .isEqualTo(fixed);
        assertThat(admin("GET", "/api/v1/ports", null, 200).json().path("items"))
                .hasSize(2);
        assertThat(admin("GET", "/api/v1/networks/blue", null, 200).json()).isEqualTo(network);
        assertThat(admin("GET", "/api/v1/subnets/blue-v4", null, 200).json()).isEqualTo(subnet);
        admin("POST", "/api/v1/ports", "{\"network\":\"blue\",\"ip\":\"10.0.0.6\"}", 409);
    }

    @Test
    void anExhaustedPoolIsAConflictAndAReleasedAddressIsHeldBack() {
        admin("POST", "/api/v1/networks", "{\"name\":\"tiny\"}", 201);
        admin("POST", "/api/v1/subnets", "{\"name\":\"tiny-v4\",\"network\":\"tiny\",\"cidr\":\"10.9.0.0/30\"}", 201);
        JsonNode only =
                admin("POST", "/api/v1/ports", "{\"network\":\"tiny\"}", 201).json();
        assertThat(only.path("fixedIps").get(0).path("address").asText()).isEqualTo("10.9.0.2");

        JsonNode error =
                admin("POST", "/api/v1/ports", "{\"network\":\"tiny\"}", 409).json();
        assertThat(error.path("error").path("message").asText()).contains("exhausted");
        admin("DELETE", "/api/v1/ports/" + only.path("id").asText(), null, 204);
        // nothing else is free: the held-back address is given again
        JsonNode again =
                admin("POST", "/api/v1/ports", "{\"network\":\"tiny\"}", 201).json();
        assertThat(again.path("fixedIps").get(0).path("address").asText()).isEqualTo("10.9.0.2");
    }

    @Test
    void deletesRefuseNetworksWithPortsSubnetsWithAddressesAndPortsOfLiveVms() {
        api.registerHost("h1");
        admin("POST", "/api/v1/vms", "{\"name\":\"vm1\",\"flavor\":\"small\",\"image\":\"cirros\"}", 202);
        admin("POST", "/api/v1/networks", "{\"name\":\"blue\"}", 201);
        admin("POST", "/api/v1/subnets", "{\"name\":\"s\",\"network\":\"blue\",\"cidr\":\"10.0.0.0/24\"}", 201);
        admin("POST", "/api/v1/ports", "{\"network\":\"blue\",\"name\":\"p\",\"vm\":\"vm1\"}", 201);

        admin("DELETE", "/api/v1/networks/blue", null, 409);
        admin("DELETE", "/api/v1/subnets/s", null, 409);
        admin("DELETE", "/api/v1/ports/p", null, 409);
        admin("DELETE", "/api/v1/vms/vm1", null, 202);
        api.placeAndRun();
        api.liveVms().forEach(vm -> assertThat(vm.name()).isNotEqualTo("vm1"));

        admin("DELETE", "/api/v1/ports/p", null, 204);
        admin("DELETE", "/api/v1/subnets/s", null, 204);
        admin("DELETE", "/api/v1/networks/blue", null, 204);
        admin("GET", "/api/v1/networks/blue", null, 404);
    }

    @Test
    void aProjectsNetworksAreNotFoundFromAnotherProject() {
        admin("POST", "/api/v1/projects", "{\"name\":\"alpha\"}", 201);
        admin("POST", "/api/v1/projects", "{\"name\":\"beta\"}", 201);
        String ann = person("ann", "alpha");
        String bert = person("bert", "beta");
        call(ann, "POST", "/api/v1/networks", "{\"name\":\"net\"}", 201);
        call(ann, "POST", "/api/v1/subnets", "{\"name\":\"s\",\"network\":\"net\",\"cidr\":\"10.0.0.0/24\"}", 201);
        String port = call(ann, "POST", "/api/v1/ports", "{\"network\":\"net\",\"name\":\"p\"}", 201)
                .json()
                .path("id")
                .asText();

        List<Integer> statuses = new ArrayList<>();
        for (String path :
                List.of("/api/v1/networks/net", "/api/v1/subnets/s", "/api/v1/ports/p", "/api/v1/ports/" + port)) {
            statuses.add(call(bert, "GET", path, null, 404).status());
            statuses.add(call(bert, "DELETE", path, null, 404).status());
        }
        call(bert, "POST", "/api/v1/ports", "{\"network\":\"net\"}", 404);
        call(bert, "POST", "/api/v1/subnets", "{\"name\":\"t\",\"network\":\"net\",\"cidr\":\"10.1.0.0/24\"}", 404);
        assertThat(statuses).containsOnly(404);
        assertThat(call(bert, "GET", "/api/v1/networks", null, 200).json().path("items"))
                .isEmpty();
        assertThat(call(bert, "GET", "/api/v1/subnets", null, 200).json().path("items"))
                .isEmpty();
        assertThat(call(bert, "GET", "/api/v1/ports", null, 200).json().path("items"))
                .isEmpty();
        // the same names and CIDR in another project are another network
        call(bert, "POST", "/api/v1/networks", "{\"name\":\"net\"}", 201);
        call(bert, "POST", "/api/v1/subnets", "{\"name\":\"s\",\"network\":\"net\",\"cidr\":\"10.0.0.0/24\"}", 201);
        JsonNode theirs = call(bert, "POST", "/api/v1/ports", "{\"network\":\"net\",\"name\":\"p\"}", 201)
                .json();
        assertThat(theirs.path("fixedIps").get(0).path("address").asText()).isEqualTo("10.0.0.2");
        call(ann, "DELETE", "/api/v1/projects/alpha", null, 403);
        admin("DELETE", "/api/v1/projects/alpha", null, 409);
    }

    private String person(String name, String project) {
        admin(
                "POST",
                "/api/v1/users",
                "{\"name\":\"" + name + "\",\"role\":\"member\",\"password\":\"" + PASSWORD + "\",\"project\":\""
                        + project + "\"}",
                201);
        TestResponse login = api.send(HttpRequest.newBuilder(api.uri("/api/v1/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", UTF_8)));
        assertThat(login.status()).as(login.body()).isEqualTo(201);
        return login.json().path("token").asText();
    }

    private TestResponse admin(String method, String path, @Nullable String json, int status) {
        return call(ApiFixture.TOKEN, method, path, json, status);
    }

    private TestResponse call(String token, String method, String path, @Nullable String json, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Bearer " + token);
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
