package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A token to create.
 *
 * @param user the name of the user it acts as: null for the caller, else a service account the caller manages
 * @param description what it is for
 * @param lifetime how long it lasts, or null for the default
 */
public record NewToken(
        @Nullable String user, String description, @Nullable Duration lifetime) {
    public NewToken {
        requireNonNull(description, "description is null");
    }
}
