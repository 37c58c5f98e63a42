package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

@Doc("A person's credentials, exchanged for an API token.")
public record LoginJson(
        @Doc("The user's name.") String user,
        @Doc("The user's password.") String password) {
    public LoginJson {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "LoginJson[user=" + user + "]";
    }
}
