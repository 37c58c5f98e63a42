package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.Endpoint;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.HealthJson;

/** The public routes: the health check and the OpenAPI document. */
public final class SystemResource {
    public static final Endpoint HEALTH = new Endpoint(
            HttpMethod.GET,
            "/healthz",
            Operation.builder("health", "Whether the server answers")
                    .publicAccess()
                    .responds(200, "The server answers", Payload.of(HealthJson.class))
                    .build());

    public static final Endpoint OPENAPI = new Endpoint(
            HttpMethod.GET,
            ApiPaths.V1 + "/openapi.json",
            Operation.builder("openApi", "This API's OpenAPI 3.1 document")
                    .publicAccess()
                    .responds(200, "The OpenAPI document", Payload.anyObject())
                    .build());

    private SystemResource() {}

    public static Route health() {
        return new Route(HEALTH, request -> ApiResponse.ok(HealthJson.OK));
    }

    /** Serves {@code document}, which describes every route, this one included. */
    public static Route openApi(JsonNode document) {
        requireNonNull(document, "document is null");
        return new Route(OPENAPI, request -> ApiResponse.ok(document));
    }
}
