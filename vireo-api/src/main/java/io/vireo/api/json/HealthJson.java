package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

@Doc("The server's health.")
public record HealthJson(
        @Doc("ok while the server answers requests.") String status) {
    public static final HealthJson OK = new HealthJson("ok");

    public HealthJson {
        requireNonNull(status, "status is null");
    }
}
