package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An API token as the store keeps it: never the token itself, only its SHA-256. A token acts as its user, with the
 * user's project and role as they are at each request (a user's role lowered or the user deleted takes effect at
 * once). It is valid while not revoked and before {@code expiresAt}.
 *
 * @param id names the token in listings and for revocation; not secret
 * @param sha256 the SHA-256 of the token's text, 64 lowercase hex digits
 * @param description what the token is for, shown in listings (may be empty)
 * @param revokedAt when it was revoked, null while it is not
 */
public record ApiToken(
        UUID id,
        UUID userId,
        String sha256,
        String description,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant revokedAt) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** The longest description kept. */
    public static final int MAX_DESCRIPTION_LENGTH = 200;

    public ApiToken {
        requireNonNull(id, "id is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 is not 64 lowercase hex digits");
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("description is longer than " + MAX_DESCRIPTION_LENGTH);
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a token expires after it is created");
        }
    }

    /** Whether the token may be used at {@code now}: not revoked and not expired. */
    public boolean validAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
