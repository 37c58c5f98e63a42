package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A one-time credential that lets one host agent enroll: it is exchanged once, before {@code expiresAt}, for a
 * certificate bound to a host id. Only the SHA-256 of its secret is stored; the secret is shown once, when the token is
 * made, inside the token's text ({@link #text}), which also carries the fingerprint of the CA the agent must find at
 * the server.
 *
 * @param secretSha256 the SHA-256 of the secret, 64 lowercase hex digits
 * @param hostId the existing host the token re-enrolls (a host whose agent lost its certificate), or null for a new
 *     host
 * @param usedAt when the token was exchanged, or null while unused
 * @param usedByHostId the host id the certificate was issued for, once used
 * @param usedByName the host name the agent enrolled with, once used
 */
public record JoinToken(
        UUID id,
        String secretSha256,
        Instant createdAt,
        Instant expiresAt,
        @Nullable UUID hostId,
        @Nullable Instant usedAt,
        @Nullable UUID usedByHostId,
        @Nullable String usedByName) {
    /** The prefix of a join token's text; the version rises if the format changes. */
    public static final String PREFIX = "vireo-join-v1";

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TEXT =
            Pattern.compile(Pattern.quote(PREFIX) + "\\.([0-9a-f]{64})\\.([A-Za-z0-9_-]{32,128})");

    public JoinToken {
        requireNonNull(id, "id is null");
        requireNonNull(secretSha256, "secretSha256 is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        if (!HEX_SHA256.matcher(secretSha256).matches()) {
            throw new IllegalArgumentException("secretSha256 must be 64 lowercase hex digits");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a join token must expire after it is made");
        }
    }

    /** A new, unused token. */
    public static JoinToken unused(
            UUID id, String secretSha256, Instant createdAt, Instant expiresAt, @Nullable UUID hostId) {
        return new JoinToken(id, secretSha256, createdAt, expiresAt, hostId, null, null, null);
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The token's text as given to an operator: {@code vireo-join-v1.<CA fingerprint>.<secret>}. */
    public static String text(String caFingerprintHex, String secret) {
        String text = PREFIX + "." + caFingerprintHex + "." + secret;
        if (!TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "not a join token: a fingerprint of 64 hex digits and a base64url secret");
        }
        return text;
    }

    /** The parts of a join token's text, or empty if {@code text} is not one. */
    public static Optional<Text> parse(String text) {
        Matcher matcher = TEXT.matcher(text.strip());
        return matcher.matches() ? Optional.of(new Text(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** A join token's text taken apart: the CA fingerprint to pin and the secret to present. */
    public record Text(String caFingerprintHex, String secret) {
        public Text {
            requireNonNull(caFingerprintHex, "caFingerprintHex is null");
            requireNonNull(secret, "secret is null");
        }

        @Override
        public String toString() {
            return "JoinToken.Text[caFingerprintHex=" + caFingerprintHex + ", secret=(hidden)]";
        }
    }
}
