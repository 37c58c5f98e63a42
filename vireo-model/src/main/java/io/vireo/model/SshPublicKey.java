package io.vireo.model;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vireo.common.VireoException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Checks OpenSSH public keys ({@code TYPE BASE64 [COMMENT]}, one line of an {@code authorized_keys} file without
 * options) before they are stored and written into a guest's cloud-init user data. A key passes only if its type is
 * one of {@link #TYPES}, its base64 body decodes to the SSH wire format of exactly that type (RFC 4253, 5656, 8709),
 * and its comment, if any, is made of {@link #COMMENT safe characters}: such a key can be written into YAML as a
 * double-quoted string as it is. Pure and thread-safe.
 */
public final class SshPublicKey {
    /** The key types accepted; DSA and the {@code -cert-v01} certificate types are not. */
    public static final List<String> TYPES =
            List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");

    /** The longest key line accepted: an RSA key of {@link #MAX_RSA_BITS} bits with a comment fits. */
    public static final int MAX_LENGTH = 4096;
    /** The most keys one VM may have. */
    public static final int MAX_KEYS = 16;
    /** The longest comment accepted. */
    public static final int MAX_COMMENT_LENGTH = 128;

    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 16384;

    /** Letters, digits, space and {@code @ . _ + - : = /}: nothing YAML, a shell or a terminal gives a meaning to. */
    public static final String COMMENT = "[A-Za-z0-9@._+:=/ -]{1," + MAX_COMMENT_LENGTH + "}";

    private static final Pattern LINE = Pattern.compile("([a-z0-9-]+) ([A-Za-z0-9+/]+={0,2})(?: (" + COMMENT + "))?");
    private static final Map<String, Integer> EC_POINT_BYTES =
            Map.of("nistp256", 1 + 2 * 32, "nistp384", 1 + 2 * 48, "nistp521", 1 + 2 * 66);
    private static final int ED25519_KEY_BYTES = 32;

    private SshPublicKey() {}

    /**
     * Returns {@code key} without surrounding whitespace if it is a valid public key.
     *
     * @throws VireoException INVALID_ARGUMENT naming {@code field} and what is wrong
     */
    public static String require(String field, String key) {
        String line = key.strip();
        if (line.length() > MAX_LENGTH) {
            throw VireoException.invalid(field, "an SSH public key has at most " + MAX_LENGTH + " characters");
        }
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            throw VireoException.invalid(
                    field,
                    "must be one OpenSSH public key line 'TYPE BASE64 [COMMENT]' (comment: letters, digits, spaces"
                            + " and @._+-:=/, at most " + MAX_COMMENT_LENGTH + " characters)");
        }
        String type = matcher.group(1);
        if (!TYPES.contains(type)) {
            throw VireoException.invalid(field, "key type '" + type + "' is not one of " + TYPES);
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw VireoException.invalid(field, "the key's base64 body does not decode");
        }
        String problem = checkBlob(type, ByteBuffer.wrap(blob));
        if (problem != null) {
            throw VireoException.invalid(field, problem);
        }
        return line;
    }

    /** Checks a list of keys; returns them stripped. */
    public static List<String> requireAll(String field, List<String> keys) {
        if (keys.size() > MAX_KEYS) {
            throw VireoException.invalid(field, "at most " + MAX_KEYS + " SSH keys");
        }
        return IntStream.range(0, keys.size())
                .mapToObj(i -> require(field + "[" + i + "]", keys.get(i)))
                .toList();
    }

    /** Null if the decoded key is a well-formed key of {@code type}, else what is wrong. */
    private static @Nullable String checkBlob(String type, ByteBuffer blob) {
        try {
            String embedded = new String(readString(blob), US_ASCII);
            if (!embedded.equals(type)) {
                return "the key's body is a '" + embedded + "' key, not '" + type + "'";
            }
            String problem = checkKeyData(type, blob);
            if (problem == null && blob.hasRemaining()) {
                return "the key's body has " + blob.remaining() + " bytes too many";
            }
            return problem;
        } catch (IllegalArgumentException e) {
            return "the key's body is truncated or malformed";
        }
    }

    private static @Nullable String checkKeyData(String type, ByteBuffer blob) {
        if (type.equals("ssh-ed25519")) {
            return readString(blob).length == ED25519_KEY_BYTES ? null : "an ed25519 key has 32 bytes";
        }
        if (type.startsWith("ecdsa-sha2-")) {
            String curve = type.substring("ecdsa-sha2-".length());
            String named = new String(readString(blob), US_ASCII);
            if (!named.equals(curve)) {
                return "the key's body names curve '" + named + "', not '" + curve + "'";
            }
            byte[] point = readString(blob);
            return point.length == EC_POINT_BYTES.getOrDefault(curve, -1) && point[0] == 4
                    ? null
                    : "the key's EC point is not an uncompressed " + curve + " point";
        }
        BigInteger exponent = new BigInteger(readString(blob));
        BigInteger modulus = new BigInteger(readString(blob));
        if (exponent.signum() <= 0 || !exponent.testBit(0)) {
            return "the RSA public exponent is not a positive odd number";
        }
        int bits = modulus.bitLength();
        if (modulus.signum() <= 0 || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
            return "an RSA key needs a modulus of " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits, not " + bits;
        }
        return null;
    }

    /** An SSH wire-format string: a big-endian uint32 length, then that many bytes. */
    private static byte[] readString(ByteBuffer blob) {
        if (blob.remaining() < Integer.BYTES) {
            throw new IllegalArgumentException("truncated");
        }
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) {
            throw new IllegalArgumentException("truncated");
        }
        byte[] bytes = new byte[length];
        blob.get(bytes);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty");
        }
        return bytes;
    }
}
