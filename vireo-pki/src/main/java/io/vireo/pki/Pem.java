package io.vireo.pki;

import io.vireo.common.ErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

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

    /**
     * The EC private key {@code key} as PKCS#8 PEM whose inner key also carries its public key ({@code publicKey}) and
     * curve: the form GnuTLS (QEMU's TLS) requires. The JDK's encoding omits the public key, which GnuTLS refuses
     * ("Element was not found").
     */
    public static String privateKeyWithPublicKey(PrivateKey key, PublicKey publicKey) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            ECPrivateKey full = new ECPrivateKey(
                    ((java.security.interfaces.ECPrivateKey) key)
                            .getParams()
                            .getOrder()
                            .bitLength(),
                    inner.getKey(),
                    SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData(),
                    curve);
            return block("PRIVATE KEY", new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), full).getEncoded());
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "not an EC private key: " + e.getMessage(), e);
        }
    }

    /**
     * The one unencrypted private key in {@code text}, RSA or EC, in any of the PEM forms tools write: PKCS#8
     * ({@code PRIVATE KEY}) or the traditional {@code RSA PRIVATE KEY} and {@code EC PRIVATE KEY}. For keys an
     * operator supplies; an encrypted key is refused with a message saying so.
     */
    public static PrivateKey anyPrivateKey(String text) {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object found = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (found instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (found instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (found instanceof PEMEncryptedKeyPair || found instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new PkiException(ErrorCode.INVALID_ARGUMENT, "the key is encrypted: give it unencrypted");
            }
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "no PEM private key");
        } catch (IOException e) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "not a PEM private key: " + e.getMessage(), e);
        }
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
