package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A join token just made, as the API answers it: its text is shown only this once. */
public record JoinTokenView(
        String token,
        @Nullable String id,
        @Nullable String caFingerprint,
        @Nullable String createdAt,
        @Nullable String expiresAt,
        @Nullable String hostId) {
    public JoinTokenView {
        requireNonNull(token, "token is null");
    }
}
