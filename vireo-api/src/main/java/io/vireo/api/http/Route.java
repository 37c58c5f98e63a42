package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

/** An endpoint and the handler that serves it. */
public record Route(Endpoint endpoint, RouteHandler handler) {
    public Route {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(handler, "handler is null");
    }

    public static Route of(HttpMethod method, String path, Operation operation, RouteHandler handler) {
        return new Route(new Endpoint(method, path, operation), handler);
    }
}
