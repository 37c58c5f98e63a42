package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

/** The identity part of the store: projects, their quotas, users and API tokens. */
public record IdentityRepositories(
        ProjectRepository projects, QuotaRepository quotas, UserRepository users, TokenRepository tokens) {
    public IdentityRepositories {
        requireNonNull(quotas, "quotas is null");
        requireNonNull(projects, "projects is null");
        requireNonNull(users, "users is null");
        requireNonNull(tokens, "tokens is null");
    }
}
