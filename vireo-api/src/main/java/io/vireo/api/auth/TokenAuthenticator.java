package io.vireo.api.auth;

import io.vireo.controller.RequestContext;
import java.util.List;
import java.util.Optional;

/**
 * Turns the bearer token of a request into the caller's context. The API attaches the request's correlation id to the
 * returned context, so implementations return it without one.
 *
 * <p>Implementations are thread-safe and must not reveal through timing how close a wrong token came to a right one.
 */
@FunctionalInterface
public interface TokenAuthenticator {
    /** The caller's context, or empty when the token is not valid. */
    Optional<RequestContext> authenticate(String bearerToken);

    /** Each authenticator in turn, until one accepts the token. */
    static TokenAuthenticator firstOf(TokenAuthenticator... authenticators) {
        List<TokenAuthenticator> all = List.of(authenticators);
        return token -> {
            for (TokenAuthenticator authenticator : all) {
                Optional<RequestContext> caller = authenticator.authenticate(token);
                if (caller.isPresent()) {
                    return caller;
                }
            }
            return Optional.empty();
        };
    }
}
