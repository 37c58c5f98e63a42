package io.vireo.pki;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 digest of a certificate's DER encoding, as 64 lowercase hex digits: how an agent pins the CA before it
 * has a copy of it (the join token carries it).
 */
public record Fingerprint(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Fingerprint {
        requireNonNull(hex, "hex is null");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a certificate fingerprint is 64 hex digits (SHA-256)");
        }
    }

    public static Fingerprint of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw PkiException.internal("cannot encode a certificate", e);
        }
    }

    public static Fingerprint of(byte[] der) {
        try {
            return new Fingerprint(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Whether {@code certificate} is the one this fingerprint names; compared in constant time. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(
                hex.getBytes(StandardCharsets.US_ASCII), of(certificate).hex.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
