package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ApiToken;
import io.vireo.model.User;

/** A token as listed: its record and its user. */
public record TokenListing(ApiToken token, User user) {
    public TokenListing {
        requireNonNull(token, "token is null");
        requireNonNull(user, "user is null");
    }
}
