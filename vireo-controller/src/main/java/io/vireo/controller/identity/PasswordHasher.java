package io.vireo.controller.identity;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes passwords with PBKDF2-HMAC-SHA256 (from the JDK) and a random 128-bit salt, as {@code
 * pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64 without padding). The iteration count is kept in each hash, so
 * raising {@link #DEFAULT_ITERATIONS} later leaves older hashes verifiable. Verification compares in constant time.
 * Thread-safe if the random generator is.
 */
public final class PasswordHasher {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about a third of a second per hash on one core of a server. */
    public static final int DEFAULT_ITERATIONS = 600_000;

    /** The fewest iterations accepted, even in tests. */
    public static final int MIN_ITERATIONS = 1_000;

    /** Longer passwords are refused before hashing, so that no request buys minutes of CPU. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** The most iterations a stored hash may ask for, so that a tampered row cannot stall a login. */
    private static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final RandomGenerator random;

    public PasswordHasher(int iterations, RandomGenerator random) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ": " + iterations);
        }
        this.iterations = iterations;
        this.random = requireNonNull(random, "random is null");
    }

    public String hash(String password) {
        requireNonNull(password, "password is null");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} is the one {@code stored} was made from; false for a malformed hash. */
    public boolean verify(String password, String stored) {
        requireNonNull(password, "password is null");
        requireNonNull(stored, "stored is null");
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME) || password.length() > MAX_PASSWORD_LENGTH) {
            return false;
        }
        try {
            int count = Integer.parseInt(parts[1]);
            if (count < MIN_ITERATIONS || count > MAX_ITERATIONS) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(parts[2].getBytes(US_ASCII));
            byte[] expected = Base64.getDecoder().decode(parts[3].getBytes(US_ASCII));
            return MessageDigest.isEqual(expected, derive(password, salt, count));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret((KeySpec) spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
