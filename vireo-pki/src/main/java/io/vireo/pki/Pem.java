package io.vireo.pki;

import io.vireo.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text for certificates and PKCS#8 private keys, the form agents keep on disk. Thread-safe (stateless). */
public final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    public static String certificate(X509Certificate certificate) {
        return block("CERTIFICATE", Certificates.der(certificate));
    }

    public static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Every certificate in {@code text}, in order. */
    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            certificates.add(Certificates.parse(der));
        }
        return certificates;
    }

    /** The one PKCS#8 EC private key in {@code text}. */
    public static PrivateKey privateKey(String text) {
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "expected one PRIVATE KEY block");
        }
        return KeyPairs.privateKey(keys.get(0));
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static List<byte[]> blocks(String text, String type) {
        List<byte[]> found = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                found.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return found;
    }
}
