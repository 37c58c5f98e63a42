package io.vireo.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last VM of a page: listings are ordered by name then id, so (name, id) is a unique key.
 * Encoded as URL-safe base64 so that callers treat it as opaque and it survives a query string.
 */
record VmCursor(String name, UUID id) {
    private static final int MAX_ENCODED_LENGTH = 512;

    VmCursor {
        requireNonNull(name, "name is null");
        requireNonNull(id, "id is null");
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((id + ":" + name).getBytes(UTF_8));
    }

    /** Parses a cursor this store issued; anything else is an INVALID_ARGUMENT error. */
    static VmCursor decode(String cursor) {
        try {
            if (cursor.length() > MAX_ENCODED_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor), UTF_8);
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new VmCursor(text.substring(colon + 1), UUID.fromString(text.substring(0, colon)));
        } catch (IllegalArgumentException e) {
            throw VireoException.invalid("cursor", "is not a cursor from a previous page");
        }
    }
}
