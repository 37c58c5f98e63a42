package io.vireo.pki;

import io.vireo.common.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private key sealed at rest with AES-256-GCM under a 32-byte key-encryption key that lives outside the database (a
 * 0600 file on each replica). The sealed form is {@code version (1 byte) | nonce (12) | ciphertext and tag}; the
 * additional data binds it to its use, so a sealed CA key cannot be passed off as something else. Opening with
 * another key, or a modified sealed key, fails. Thread-safe (stateless).
 */
public final class SealedKeys {
    /** The length of a key-encryption key, in bytes. */
    public static final int KEY_ENCRYPTION_KEY_BYTES = 32;

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] PURPOSE = "vireo-ca-key-v1".getBytes(StandardCharsets.US_ASCII);

    private SealedKeys() {}

    public static byte[] seal(PrivateKey key, byte[] keyEncryptionKey, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = key.getEncoded();
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, keyEncryptionKey, nonce).doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw PkiException.internal("cannot seal a key", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    public static PrivateKey open(byte[] sealed, byte[] keyEncryptionKey) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new PkiException(ErrorCode.INTERNAL, "the sealed key has an unknown format");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        byte[] plain = null;
        try {
            plain = cipher(Cipher.DECRYPT_MODE, keyEncryptionKey, nonce)
                    .doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return KeyPairs.privateKey(plain);
        } catch (AEADBadTagException e) {
            throw PkiException.internal(
                    "the CA key cannot be opened with this key-encryption key (another replica's file, or a changed"
                            + " one?)",
                    e);
        } catch (GeneralSecurityException e) {
            throw PkiException.internal("cannot open a sealed key", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static Cipher cipher(int mode, byte[] keyEncryptionKey, byte[] nonce) throws GeneralSecurityException {
        if (keyEncryptionKey.length != KEY_ENCRYPTION_KEY_BYTES) {
            throw new PkiException(
                    ErrorCode.INTERNAL, "a key-encryption key has " + KEY_ENCRYPTION_KEY_BYTES + " bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(keyEncryptionKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(PURPOSE);
        return cipher;
    }
}
