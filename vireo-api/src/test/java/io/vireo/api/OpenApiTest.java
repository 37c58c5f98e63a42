package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.api.http.Endpoint;
import io.vireo.model.Host;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes exactly what the server serves, and what it serves matches the schemas. */
class OpenApiTest {
    private final ApiFixture api = new ApiFixture().withCatalog();
    private final JsonNode document = api.get("/api/v1/openapi.json").json();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyRouteRegisteredInJavalinIsDocumentedAndViceVersa() {
        Set<String> documented = new TreeSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        Set<String> registered = new TreeSet<>(api.server.registeredRoutes());

        assertThat(registered).hasSizeGreaterThan(15);
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void everyOperationIsCompleteAndUnique() {
        Set<String> operationIds = new HashSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(method -> {
                    JsonNode operation = method.getValue();
                    String where = method.getKey() + " " + path.getKey();
                    assertThat(operationIds.add(operation.path("operationId").asText()))
                            .as("unique operationId at %s", where)
                            .isTrue();
                    assertThat(operation.path("summary").asText()).as(where).isNotBlank();
                    assertThat(pathParameters(operation))
                            .as("path parameters of %s", where)
                            .isEqualTo(Endpoint.placeholders(path.getKey()));
                    assertThat(operation.path("responses").has("default"))
                            .as(where)
                            .isTrue();
                }));
        assertThat(operationIds).contains("listVms", "createVm", "startVm", "stopVm", "rebootVm", "deleteVm");
    }

    @Test
    void publicOperationsAreExactlyHealthTheDocumentAndLogin() {
        List<String> publicOperations = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(method -> {
                    JsonNode security = method.getValue().path("security");
                    if (security.isArray() && security.isEmpty()) {
                        publicOperations.add(path.getKey());
                    }
                }));

        assertThat(publicOperations)
                .containsExactlyInAnyOrder("/healthz", "/api/v1/openapi.json", "/api/v1/auth/tokens");
        assertThat(document.path("components")
                        .path("securitySchemes")
                        .path("bearerToken")
                        .path("scheme")
                        .asText())
                .isEqualTo("bearer");
    }

    @Test
    void everyReferenceResolves() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(reference).startsWith("#/components/");
            assertThat(document.at(reference.substring(1)).isObject())
                    .as(reference)
                    .isTrue();
        }
    }

    @Test
    void responsesHaveExactlyTheFieldsOfTheirSchemas() {
        Host host = api.registerHost("node-1");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}");
        api.placeAndRun();

        JsonNode hostJson = api.get("/api/v1/hosts/" + host.id()).json();
        JsonNode events = api.get("/api/v1/events").json();
        JsonNode error = api.get("/api/v1/vms/ghost").json();
        JsonNode gang = api.post(
                        "/api/v1/vms", "{\"name\":\"db\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":2}")
                .json();
        assertMatches("VmGang", gang);
        Map<String, JsonNode> samples = Map.of(
                "Vm", api.get("/api/v1/vms/web").json(),
                "VmPage", api.get("/api/v1/vms").json(),
                "Host", hostJson,
                "Resources", hostJson.path("capacity"),
                "HostUsage", hostJson.path("usage"),
                "Flavor", api.get("/api/v1/flavors/small").json(),
                "Image", api.get("/api/v1/images/cirros").json(),
                "EventPage", events,
                "Event", events.path("items").get(0),
                "ErrorResponse", error);
        samples.forEach((schema, sample) -> assertMatches(schema, sample));
        assertMatches("Error", error.path("error"));
        assertMatches("Health", api.get("/healthz").json());
    }

    @Test
    void requestBodiesAdmitNoOtherFields() {
        JsonNode newVm = document.path("components").path("schemas").path("NewVm");

        assertThat(newVm.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(newVm.path("required")).extracting(JsonNode::asText).containsExactly("name", "flavor", "image");
        assertThat(newVm.path("properties").path("name").path("pattern").asText())
                .isEqualTo("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
        JsonNode createVm = document.path("paths").path("/api/v1/vms").path("post");
        assertThat(createVm.path("parameters").get(0).path("name").asText()).isEqualTo("Idempotency-Key");
        assertThat(createVm.path("responses").has("202")).isTrue();
        assertThat(createVm.path("responses").has("415")).isTrue();
    }

    private void assertMatches(String schemaName, JsonNode sample) {
        JsonNode schema = document.path("components").path("schemas").path(schemaName);
        List<String> properties = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).as("schema %s", schemaName).isNotEmpty();
        assertThat(CatalogApiTest.fieldNames(sample))
                .as("fields of a %s", schemaName)
                .isEqualTo(properties);
        assertThat(schema.path("required")).extracting(JsonNode::asText).isEqualTo(properties);
        schema.path("properties").properties().forEach(property -> {
            JsonNode value = sample.path(property.getKey());
            assertThat(typeMatches(property.getValue(), value))
                    .as("%s.%s = %s against %s", schemaName, property.getKey(), value, property.getValue())
                    .isTrue();
        });
    }

    /** A shallow check of a value against a property schema: its JSON type is one the schema allows. */
    private static boolean typeMatches(JsonNode schema, JsonNode value) {
        if (schema.has("$ref")) {
            return value.isObject();
        }
        if (schema.has("oneOf")) {
            boolean any = false;
            for (JsonNode option : schema.path("oneOf")) {
                any |= typeMatches(option, value);
            }
            return any;
        }
        Set<String> types = new HashSet<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(type -> types.add(type.asText()));
        } else {
            types.add(schema.path("type").asText());
        }
        return switch (value.getNodeType()) {
            case NULL -> types.contains("null");
            case STRING -> types.contains("string");
            case NUMBER -> types.contains("number") || (types.contains("integer") && value.isIntegralNumber());
            case BOOLEAN -> types.contains("boolean");
            case ARRAY -> types.contains("array");
            case OBJECT -> types.contains("object");
            default -> false;
        };
    }

    private static List<String> pathParameters(JsonNode operation) {
        List<String> names = new ArrayList<>();
        operation.path("parameters").forEach(parameter -> {
            if (parameter.path("in").asText().equals("path")) {
                assertThat(parameter.path("required").asBoolean()).isTrue();
                names.add(parameter.path("name").asText());
            }
        });
        return names;
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectReferences(element, references));
        }
    }
}
