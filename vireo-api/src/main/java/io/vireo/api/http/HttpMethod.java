package io.vireo.api.http;

/** The HTTP methods the API uses. */
public enum HttpMethod {
    GET,
    POST,
    PUT,
    DELETE
}
