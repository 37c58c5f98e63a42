package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user to create: a person with a password, or a service account ({@code password} null). Values are checked by
 * the server.
 */
public record UserSpec(
        String name,
        String role,
        @Nullable String project,
        @Nullable String password,
        boolean serviceAccount) {
    public UserSpec {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
    }

    /** The body of {@code POST /users}, without the fields left out. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("role", role);
        if (project != null) {
            body.put("project", project);
        }
        if (password != null) {
            body.put("password", password);
        }
        if (serviceAccount) {
            body.put("serviceAccount", true);
        }
        return body;
    }

    @Override
    public String toString() {
        return "UserSpec[name=" + name + ", role=" + role + ", project=" + project + "]";
    }
}
