package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ApiToken;
import io.vireo.model.User;

/**
 * A token just made: its record, its user, and its text, which exists only here and is shown to the caller once.
 *
 * @param secret the token's text, to send as {@code Authorization: Bearer <secret>}
 */
public record IssuedToken(ApiToken token, User user, String secret) {
    public IssuedToken {
        requireNonNull(token, "token is null");
        requireNonNull(user, "user is null");
        requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString() {
        return "IssuedToken[token=" + token + ", user=" + user.name() + ", secret=<hidden>]";
    }
}
