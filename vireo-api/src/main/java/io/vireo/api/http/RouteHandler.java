package io.vireo.api.http;

/** Handles one route's requests after authentication and the generic checks. Throws VireoException to fail. */
@FunctionalInterface
public interface RouteHandler {
    ApiResponse handle(ApiRequest request);
}
