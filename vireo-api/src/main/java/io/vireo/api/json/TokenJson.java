package io.vireo.api.json;

import io.vireo.controller.identity.TokenListing;
import io.vireo.model.ApiToken;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("An API token, without its text (which is shown once, when it is made).")
public record TokenJson(
        @Doc("Names the token for revocation; not secret.") UUID id,
        @Doc("The name of the user it acts as.") String user,
        @Doc("The id of the user's project.") UUID project,
        String description,
        Instant createdAt,
        Instant expiresAt,

        @Doc("When it was revoked; null while it is not.") @Nullable
        Instant revokedAt) {
    public static TokenJson of(TokenListing listing) {
        ApiToken token = listing.token();
        return new TokenJson(
                token.id(),
                listing.user().name(),
                listing.user().projectId(),
                token.description(),
                token.createdAt(),
                token.expiresAt(),
                token.revokedAt());
    }
}
