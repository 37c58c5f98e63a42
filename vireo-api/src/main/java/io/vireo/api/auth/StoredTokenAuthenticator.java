package io.vireo.api.auth;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.RequestContext;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.TokenSecrets;
import java.util.Optional;

/**
 * Accepts the API tokens of the store: each request looks its token up by SHA-256 in the database, with its user, so a
 * revoked, expired or deleted token, or a deleted user, is refused at once by every replica (no cache). A token
 * without Vireo's prefix is refused without a lookup. The lookup is an equality match on a digest, which reveals
 * nothing through timing about how close a wrong token came. Thread-safe.
 */
public final class StoredTokenAuthenticator implements TokenAuthenticator {
    private final IdentityService identity;

    public StoredTokenAuthenticator(IdentityService identity) {
        this.identity = requireNonNull(identity, "identity is null");
    }

    @Override
    public Optional<RequestContext> authenticate(String bearerToken) {
        if (!bearerToken.startsWith(TokenSecrets.PREFIX)) {
            return Optional.empty();
        }
        return identity.authenticate(bearerToken).map(principal -> new RequestContext(principal, null));
    }
}
