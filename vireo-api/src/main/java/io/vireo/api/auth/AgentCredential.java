package io.vireo.api.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The credential host agents hold (the one they present on their gRPC stream), accepted by the few operations agents
 * call over HTTP, such as an image download. Compared as SHA-256 digests in constant time. Thread-safe.
 */
public final class AgentCredential {
    /** Accepts no token: for an API without agents. */
    public static final AgentCredential NONE = new AgentCredential(new byte[0]);

    private final byte[] expectedDigest;

    private AgentCredential(byte[] expectedDigest) {
        this.expectedDigest = expectedDigest;
    }

    public static AgentCredential of(String token) {
        requireNonNull(token, "token is null");
        if (token.length() < AdminTokenAuthenticator.MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "the agent token must have at least " + AdminTokenAuthenticator.MIN_TOKEN_LENGTH + " characters");
        }
        return new AgentCredential(sha256(token));
    }

    public boolean matches(String bearerToken) {
        return expectedDigest.length > 0 && MessageDigest.isEqual(expectedDigest, sha256(bearerToken));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
