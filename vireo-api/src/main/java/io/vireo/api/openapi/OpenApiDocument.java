package io.vireo.api.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.api.http.Endpoint;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.MediaTypes;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.json.ErrorResponseJson;
import io.vireo.common.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the OpenAPI 3.1 document of a set of endpoints: their parameters, request bodies, success responses and the
 * error responses each may give, with the schemas of the JSON records involved. Errors every operation of a kind can
 * return are added here (401 when authenticated, 400 when it takes parameters or a body, 413 and 415 for POSTs), so
 * that resources declare only their own.
 */
public final class OpenApiDocument {
    public static final String OPENAPI_VERSION = "3.1.0";
    public static final String API_VERSION = "1";

    private static final String SECURITY_SCHEME = "bearerToken";
    private static final String API_PREFIX = "/api/v1/";
    private static final String ERROR_RESPONSE = "#/components/responses/Error";

    private OpenApiDocument() {}

    public static ObjectNode build(ObjectMapper mapper, List<Endpoint> endpoints) {
        SchemaGenerator schemas = new SchemaGenerator(mapper);
        ObjectNode root = mapper.createObjectNode().put("openapi", OPENAPI_VERSION);
        root.putObject("info")
                .put("title", "Vireo API")
                .put("version", API_VERSION)
                .put(
                        "description",
                        "Manage the VMs, hosts, flavors and images of a Vireo cloud. Every error has the body"
                                + " {\"error\":{\"code\",\"message\",\"details\"}}; every response carries an"
                                + " X-Correlation-Id header, taken from the request when it is a sane token.");
        root.putArray("servers").addObject().put("url", "/");
        root.putArray("security").addObject().putArray(SECURITY_SCHEME);
        ObjectNode paths = root.putObject("paths");
        Map<String, List<Endpoint>> byPath = new TreeMap<>();
        for (Endpoint endpoint : endpoints) {
            byPath.computeIfAbsent(endpoint.path(), path -> new ArrayList<>()).add(endpoint);
        }
        byPath.forEach((path, group) -> {
            ObjectNode item = paths.putObject(path);
            group.stream()
                    .sorted(Comparator.comparing(Endpoint::method))
                    .forEach(endpoint -> item.set(
                            endpoint.method().name().toLowerCase(Locale.ROOT), operation(mapper, schemas, endpoint)));
        });
        ObjectNode components = root.putObject("components");
        ObjectNode error = components.putObject("responses").putObject("Error").put("description", "An error");
        content(error).set("schema", schemas.ref(ErrorResponseJson.class, false));
        components.set("schemas", schemas.components());
        components
                .putObject("securitySchemes")
                .putObject(SECURITY_SCHEME)
                .put("type", "http")
                .put("scheme", "bearer");
        return root;
    }

    private static ObjectNode operation(ObjectMapper mapper, SchemaGenerator schemas, Endpoint endpoint) {
        Operation operation = endpoint.operation();
        ObjectNode node = mapper.createObjectNode()
                .put("operationId", operation.operationId())
                .put("summary", operation.summary());
        node.putArray("tags").add(tag(endpoint.path()));
        if (!operation.authenticated()) {
            node.putArray("security");
        }
        if (!operation.parameters().isEmpty()) {
            ArrayNode parameters = node.putArray("parameters");
            operation.parameters().forEach(parameter -> parameters.add(parameter(mapper, parameter)));
        }
        Class<? extends Record> body = operation.requestBody();
        if (body != null) {
            ObjectNode requestBody = node.putObject("requestBody").put("required", true);
            requestBody.putObject("content").putObject(MediaTypes.JSON).set("schema", schemas.ref(body, true));
        }
        if (operation.access().binaryRequestBody()) {
            ObjectNode requestBody = node.putObject("requestBody").put("required", true);
            binarySchema(requestBody.putObject("content").putObject(MediaTypes.OCTET_STREAM));
        }
        if (operation.access().agents()) {
            node.put("description", "Host agents may call it with the agents' credential as the bearer token.");
        }
        node.set("responses", responses(mapper, schemas, endpoint));
        return node;
    }

    static String tag(String path) {
        if (!path.startsWith(API_PREFIX) || path.equals(API_PREFIX + "openapi.json")) {
            return "system";
        }
        String rest = path.substring(API_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static ObjectNode parameter(ObjectMapper mapper, Parameter parameter) {
        ObjectNode node = mapper.createObjectNode()
                .put("name", parameter.name())
                .put("in", parameter.location().name().toLowerCase(Locale.ROOT))
                .put("required", parameter.required())
                .put("description", parameter.description());
        ObjectNode schema = node.putObject("schema");
        switch (parameter.schema()) {
            case Parameter.TextSchema text -> {
                schema.put("type", "string").put("minLength", 1).put("maxLength", text.maxLength());
                if (!text.allowedValues().isEmpty()) {
                    ArrayNode values = schema.putArray("enum");
                    text.allowedValues().forEach(values::add);
                }
            }
            case Parameter.IntegerSchema integer ->
                schema.put("type", "integer")
                        .put("format", "int64")
                        .put("minimum", integer.minimum())
                        .put("maximum", integer.maximum())
                        .put("default", integer.fallback());
        }
        return node;
    }

    private static ObjectNode responses(ObjectMapper mapper, SchemaGenerator schemas, Endpoint endpoint) {
        Operation operation = endpoint.operation();
        ObjectNode responses = mapper.createObjectNode();
        ObjectNode success = responses
                .putObject(Integer.toString(operation.successStatus()))
                .put("description", operation.successDescription());
        switch (operation.response()) {
            case Payload.None none -> {}
            case Payload.Single single -> content(success).set("schema", schemas.ref(single.type(), false));
            case Payload.PageOf page -> content(success).set("schema", schemas.pageRef(page.itemType()));
            case Payload.OneOf oneOf -> {
                ArrayNode options = content(success).putObject("schema").putArray("oneOf");
                oneOf.types().forEach(type -> options.add(schemas.ref(type, false)));
            }
            case Payload.AnyObject any -> content(success).putObject("schema").put("type", "object");
            case Payload.Binary binary ->
                binarySchema(success.putObject("content").putObject(MediaTypes.OCTET_STREAM));
            case Payload.ListOf list ->
                content(success)
                        .putObject("schema")
                        .put("type", "array")
                        .set("items", schemas.ref(list.itemType(), false));
            case Payload.Text text -> {
                ObjectNode content = success.putObject("content");
                text.mediaTypes()
                        .forEach(type ->
                                content.putObject(type).putObject("schema").put("type", "string"));
            }
        }
        Map<Integer, List<ErrorCode>> byStatus = errors(endpoint).stream()
                .collect(Collectors.groupingBy(ErrorCode::httpStatus, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, codes) -> {
            String names = codes.stream().map(ErrorCode::name).collect(Collectors.joining(", "));
            responses
                    .putObject(Integer.toString(status))
                    .put("$ref", ERROR_RESPONSE)
                    .put("description", names);
        });
        responses.putObject("default").put("$ref", ERROR_RESPONSE).put("description", "INTERNAL or another error");
        return responses;
    }

    private static Set<ErrorCode> errors(Endpoint endpoint) {
        Operation operation = endpoint.operation();
        Set<ErrorCode> errors = EnumSet.noneOf(ErrorCode.class);
        errors.addAll(operation.errors());
        if (operation.authenticated()) {
            errors.add(ErrorCode.UNAUTHENTICATED);
            errors.add(ErrorCode.TOO_MANY_REQUESTS);
        }
        if (operation.access().binaryRequestBody()) {
            errors.addAll(List.of(ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        }
        if (!operation.parameters().isEmpty() || operation.requestBody() != null) {
            errors.add(ErrorCode.INVALID_ARGUMENT);
        }
        if (endpoint.method() == HttpMethod.POST) {
            errors.addAll(
                    List.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        }
        return errors;
    }

    private static void binarySchema(ObjectNode mediaType) {
        mediaType.putObject("schema").put("type", "string").put("contentMediaType", MediaTypes.OCTET_STREAM);
    }

    private static ObjectNode content(ObjectNode response) {
        return response.putObject("content").putObject(MediaTypes.JSON);
    }
}
