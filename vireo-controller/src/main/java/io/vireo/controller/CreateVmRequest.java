package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A validated-at-the-edge request to create a VM; names are checked again here. */
public record CreateVmRequest(
        String name, String flavor, String image, @Nullable String idempotencyKey) {
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    public CreateVmRequest {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
    }
}
