package io.vireo.api.json;

import io.vireo.common.Names;
import org.jspecify.annotations.Nullable;

@Doc("An API token to create.")
public record NewTokenJson(
        @Doc(
                value = "The user it acts as: absent for the caller, else a service account of the caller's project.",
                pattern = Patterns.NAME)
        @Nullable
        String user,

        @Doc("What the token is for (at most 200 characters).") @Nullable
        String description,

        @Doc(value = "How long it lasts, in seconds; absent: 90 days.", minimum = 1, maximum = 366L * 24 * 3600)
        @Nullable
        Long expiresInSeconds) {
    public NewTokenJson {
        if (user != null) {
            Names.require("user", user);
        }
    }
}
