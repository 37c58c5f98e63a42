package io.vireo.api.resource;

/** Where the API lives. */
public final class ApiPaths {
    /** The prefix of every versioned route. */
    public static final String V1 = "/api/v1";

    private ApiPaths() {}
}
