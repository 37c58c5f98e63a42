package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

/** The identity part of the store: projects, users and API tokens. */
public record IdentityRepositories(ProjectRepository projects, UserRepository users, TokenRepository tokens) {
    public IdentityRepositories {
        requireNonNull(projects, "projects is null");
        requireNonNull(users, "users is null");
        requireNonNull(tokens, "tokens is null");
    }
}
