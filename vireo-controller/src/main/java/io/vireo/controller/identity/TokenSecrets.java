package io.vireo.controller.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The text of API tokens: {@value #PREFIX} and 256 random bits in base64url, and the SHA-256 the store keeps instead.
 * A random 256-bit token needs no slow hash: no one can search its space, so a fast digest stored in place of it
 * is enough, and lets every request be checked against the database. Thread-safe if the random generator is.
 */
public final class TokenSecrets {
    /** Every token starts with this, so that leaked tokens are easy to recognise (and to scan for). */
    public static final String PREFIX = "vireo_";

    private static final int RANDOM_BYTES = 32;

    private final RandomGenerator random;

    public TokenSecrets(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
    }

    /** A new token's text. */
    public String next() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of a token's text, 64 lowercase hex digits. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
