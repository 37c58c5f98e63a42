package io.vireo.api.json;

import io.vireo.controller.identity.IssuedToken;
import java.time.Instant;
import java.util.UUID;

@Doc("A new API token and its text, shown this once: only its SHA-256 is kept.")
public record IssuedTokenJson(
        @Doc("Send as 'Authorization: Bearer <token>'.") String token,
        @Doc("Names the token for revocation; not secret.") UUID id,
        @Doc("The name of the user it acts as.") String user,
        @Doc("The id of the user's project.") UUID project,
        RoleJson role,
        Instant expiresAt) {
    public static IssuedTokenJson of(IssuedToken issued) {
        return new IssuedTokenJson(
                issued.secret(),
                issued.token().id(),
                issued.user().name(),
                issued.user().projectId(),
                RoleJson.of(issued.user().role()),
                issued.token().expiresAt());
    }

    @Override
    public String toString() {
        return "IssuedTokenJson[id=" + id + ", user=" + user + "]";
    }
}
