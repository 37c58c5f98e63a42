package io.vireo.api.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Accepts exactly one token, the one in the server's {@code admin-token} file, as the built-in administrator (a
 * system admin in the admin project): the bootstrap credential, which works before any user or token exists. Tokens are compared as SHA-256
 * digests with {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the token and its length.
 * Thread-safe.
 */
public final class AdminTokenAuthenticator implements TokenAuthenticator {
    /** A shorter admin token is too easy to guess. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final byte[] expectedDigest;

    public AdminTokenAuthenticator(String adminToken) {
        requireNonNull(adminToken, "adminToken is null");
        if (adminToken.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "the admin token must have at least " + MIN_TOKEN_LENGTH + " characters");
        }
        this.expectedDigest = sha256(adminToken);
    }

    @Override
    public Optional<RequestContext> authenticate(String bearerToken) {
        requireNonNull(bearerToken, "bearerToken is null");
        if (!MessageDigest.isEqual(expectedDigest, sha256(bearerToken))) {
            return Optional.empty();
        }
        return Optional.of(new RequestContext(Principal.builtInAdmin(), null));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
