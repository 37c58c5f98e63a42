package io.vireo.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

/** EC P-256 key pairs from the JDK's own provider. Thread-safe (stateless). */
public final class KeyPairs {
    /** The signature algorithm of every certificate and request Vireo makes. */
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private KeyPairs() {}

    /** A new P-256 key pair. */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw PkiException.internal("this Java platform cannot make P-256 keys", e);
        }
    }

    /** The EC private key in {@code pkcs8} (DER). */
    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw PkiException.invalid("not an EC private key in PKCS#8", e);
        }
    }
}
