package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The state of an image's bytes.
 *
 * @param status where the bytes stand
 * @param sha256 the SHA-256 of the accepted bytes (lowercase hex); set exactly when the bytes are stored by the server
 *     and agents fetch them. An {@link ImageStatus#ACTIVE} image without it is host-local: each agent has it already
 *     (the kernel-and-initrd test guest).
 * @param expectedSha256 the SHA-256 the owner declared before uploading, if any; an upload with other bytes is refused
 * @param reason why the image is {@link ImageStatus#REJECTED}, or {@link ImageStatus#PENDING} again after an
 *     interrupted upload; empty otherwise
 */
public record ImageContent(
        ImageStatus status,
        @Nullable String sha256,
        @Nullable String expectedSha256,
        String reason) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ImageContent {
        requireNonNull(status, "status is null");
        requireNonNull(reason, "reason is null");
        if (sha256 != null && !isSha256(sha256)) {
            throw new IllegalArgumentException("sha256 is not 64 lowercase hex digits");
        }
        if (expectedSha256 != null && !isSha256(expectedSha256)) {
            throw new IllegalArgumentException("expectedSha256 is not 64 lowercase hex digits");
        }
        if (sha256 != null && status != ImageStatus.ACTIVE) {
            throw new IllegalArgumentException("only an ACTIVE image has stored bytes");
        }
    }

    /** An image that each host provides itself, usable at once. */
    public static ImageContent hostLocal() {
        return new ImageContent(ImageStatus.ACTIVE, null, null, "");
    }

    /** An image awaiting its upload. */
    public static ImageContent pending(@Nullable String expectedSha256) {
        return new ImageContent(ImageStatus.PENDING, null, expectedSha256, "");
    }

    public ImageContent uploading() {
        return new ImageContent(ImageStatus.UPLOADING, null, expectedSha256, "");
    }

    public ImageContent active(String acceptedSha256) {
        return new ImageContent(ImageStatus.ACTIVE, acceptedSha256, expectedSha256, "");
    }

    public ImageContent rejected(String why) {
        return new ImageContent(ImageStatus.REJECTED, null, expectedSha256, why);
    }

    public ImageContent backToPending() {
        return pending(expectedSha256);
    }

    /** PENDING again after an upload that did not finish (nothing kept), saying why; a new upload may follow. */
    public ImageContent interrupted(String why) {
        return new ImageContent(ImageStatus.PENDING, null, expectedSha256, why);
    }

    /** True if {@code value} is a SHA-256 digest in lowercase hex. */
    public static boolean isSha256(String value) {
        return SHA256.matcher(value).matches();
    }

    /** {@code value} in lowercase, for digests given in either case. */
    public static String normalizeSha256(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
