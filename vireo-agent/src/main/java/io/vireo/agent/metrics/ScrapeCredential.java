package io.vireo.agent.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The credential a scrape of the agent's {@code /metrics} must present: a bearer token whose SHA-256 the server sent at
 * registration (ADR 21). Only the hash is held, so the agent's memory gives nobody a token that opens other agents'
 * metrics. Until the server has sent one, every scrape is refused. Thread-safe.
 */
public final class ScrapeCredential {
    /** Tokens longer than this are refused before they are hashed. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    private static final String BEARER = "bearer ";
    private static final int SHA256_BYTES = 32;

    /** How a scrape's {@code Authorization} header was judged. */
    public enum Verdict {
        ACCEPTED,
        /** No bearer token, or one that is not the credential: 401. */
        REFUSED,
        /** The agent has no credential from the server yet: 503, try again later. */
        NOT_YET_KNOWN
    }

    private volatile byte @Nullable [] sha256;

    /** Takes the hash the server sent; an empty or malformed one (an older server's) leaves every scrape refused. */
    public void accept(byte[] tokenSha256) {
        sha256 = tokenSha256.length == SHA256_BYTES ? tokenSha256.clone() : null;
    }

    public Verdict check(@Nullable String authorization) {
        byte[] expected = sha256;
        if (expected == null) {
            return Verdict.NOT_YET_KNOWN;
        }
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || authorization.length() > BEARER.length() + MAX_TOKEN_LENGTH
                || !authorization
                        .substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return Verdict.REFUSED;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(sha256(token), expected) ? Verdict.ACCEPTED : Verdict.REFUSED;
    }

    /** The SHA-256 of a token's UTF-8 bytes, as the server sends it. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
