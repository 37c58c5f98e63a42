package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /auth/tokens}. */
record LoginSpec(String user, String password) {
    LoginSpec {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "LoginSpec[user=" + user + "]";
    }
}
