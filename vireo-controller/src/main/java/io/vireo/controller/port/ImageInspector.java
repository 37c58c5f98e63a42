package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ImageFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether received bytes are a safe image of the declared format before anyone may use them: a plain qcow2 or
 * raw disk, without a backing file or external data file, not another format in disguise, not truncated or corrupt.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface ImageInspector {
    /** The verdict on one file. */
    sealed interface Verdict {}

    /** A safe image of the declared format, as big as the guest will see it. */
    record Accepted(long virtualSizeBytes) implements Verdict {}

    /** Not acceptable; {@code reason} says why in words the image's owner can act on. */
    record Rejected(String reason) implements Verdict {
        public Rejected {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Inspects the file that {@link ImageFiles#receive} wrote as {@code temporaryId}.
     *
     * @throws io.vireo.common.VireoException UNAVAILABLE if nothing can be inspected now (a tool it needs is missing):
     *     the bytes are not judged, and the image is not to blame
     */
    Verdict inspect(UUID temporaryId, ImageFormat declared);

    /**
     * Why no image can be inspected now, in words for the uploader and the operator (a tool it needs is missing), or
     * empty if images can be inspected. Cheap enough to ask before every upload.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }
}
