package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.Vm;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The idempotency key of a create and the fingerprint of the request it came with, stored together with what the
 * create made, in the same transaction. The same key again is the same create only with the same fingerprint; with
 * another, it is another request and is refused ({@link #reusedBy}).
 *
 * @param key the caller's key, unique per project
 * @param fingerprint the SHA-256 of the request's canonical form, 64 lowercase hex digits
 */
public record IdempotencyKey(String key, String fingerprint) {
    /** The longest key accepted. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public IdempotencyKey {
        requireNonNull(key, "key is null");
        requireNonNull(fingerprint, "fingerprint is null");
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw VireoException.invalid("Idempotency-Key", "must be 1-" + MAX_LENGTH + " characters");
        }
        if (!SHA256_HEX.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint is not 64 lowercase hex digits");
        }
    }

    /**
     * Whether a create recorded with {@code recorded} was this request. A key recorded without a fingerprint (by a
     * Vireo from before fingerprints) matches any request, as every key did then.
     */
    public boolean sameRequestAs(@Nullable String recorded) {
        return recorded == null || recorded.equals(fingerprint);
    }

    /** The error for a request that reuses this key, which first created {@code first}. */
    public VireoException reusedBy(Vm first) {
        return new VireoException(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "Idempotency-Key '" + key + "' was already used for another request (it created VM '" + first.name()
                        + "'): send that request again unchanged, or use a new key",
                Map.of("idempotencyKey", key, "vm", first.name()));
    }
}
