package io.vireo.controller.port;

import io.vireo.model.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * API tokens, by the SHA-256 of their text; the text itself is never stored. Every replica reads the same rows, so a
 * revocation or deletion holds for the next request on any of them.
 */
public interface TokenRepository {
    /** Stores a token; its user must exist (else NOT_FOUND). */
    ApiToken create(ApiToken token);

    Optional<ApiToken> find(UUID id);

    /** The token whose text has this SHA-256 (64 lowercase hex digits), valid or not. */
    Optional<ApiToken> findBySha256(String sha256);

    /**
     * Tokens ordered by creation time then id: those of {@code userId} if given, else those of the users of
     * {@code projectId} if given, else every token.
     */
    List<ApiToken> list(@Nullable UUID projectId, @Nullable UUID userId);

    /** Marks the token revoked at {@code now} unless it is already; false if there is no such token. */
    boolean revoke(UUID id, Instant now);

    /** Deletes the token; false if there was none. */
    boolean delete(UUID id);

    /** Deletes the tokens that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);
}
