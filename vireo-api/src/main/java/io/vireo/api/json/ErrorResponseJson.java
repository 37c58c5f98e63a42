package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

@Doc("The body of every error response.")
public record ErrorResponseJson(ErrorJson error) {
    public ErrorResponseJson {
        requireNonNull(error, "error is null");
    }
}
