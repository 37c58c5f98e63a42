package io.vireo.api.json;

import io.vireo.common.VireoException;
import org.jspecify.annotations.Nullable;

@Doc("A join token to make: one host agent enrolls with it, once, before it expires.")
public record NewJoinTokenJson(
        @Doc(
                value = "Optional: seconds until the token expires (default 86400, at most 2592000).",
                minimum = 1,
                maximum = 2592000)
        @Nullable
        Long expiresInSeconds,

        @Doc("Optional: the name or id of an existing host to re-enroll (its agent lost its certificate); its earlier"
                + " certificates are revoked when the token is used. Without it, the token enrolls a new host.")
        @Nullable
        String host) {
    public NewJoinTokenJson {
        if (expiresInSeconds != null && expiresInSeconds < 1) {
            throw VireoException.invalid("expiresInSeconds", "must be positive");
        }
    }
}
