package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageFiles;
import io.vireo.controller.port.ImageInspector;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageFormat;
import io.vireo.model.ImageStatus;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images with uploaded bytes: record creation, streaming upload (size limit, SHA-256, inspection) and the download
 * agents fetch. An image becomes {@link ImageStatus#ACTIVE} only after its bytes matched the declared checksum and
 * passed the {@link ImageInspector}; refused bytes are never kept. Thread-safe: concurrent uploads of one image are
 * serialized by a compare-and-set on its status.
 */
public final class ImageService {
    private static final Logger log = LoggerFactory.getLogger(ImageService.class);

    private final Repositories store;
    private final ImageFiles files;
    private final ImageInspector inspector;
    private final IdGenerator ids;
    private final Clock clock;
    private final long maxUploadBytes;

    /** @param maxUploadBytes the largest image accepted; a larger upload is refused with PAYLOAD_TOO_LARGE */
    public ImageService(
            Repositories store,
            ImageFiles files,
            ImageInspector inspector,
            IdGenerator ids,
            Clock clock,
            long maxUploadBytes) {
        this.store = requireNonNull(store, "store is null");
        this.files = requireNonNull(files, "files is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        this.maxUploadBytes = maxUploadBytes;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** Fails with CONFLICT unless VMs may be made from {@code image}. */
    static void requireUsable(Image image) {
        if (!image.usable()) {
            ImageStatus status = image.content().status();
            String reason = image.content().reason();
            throw new VireoException(
                    ErrorCode.CONFLICT,
                    "image '" + image.name() + "' is " + status + ", not ACTIVE"
                            + (reason.isEmpty() ? "" : ": " + reason),
                    Map.of("image", image.name(), "status", status.name()));
        }
    }

    /**
     * Creates an image record. A qcow2 or raw image is PENDING until its bytes are uploaded; a kernel-and-initrd image
     * is host-local (each agent provides it) and ACTIVE at once.
     *
     * @param expectedSha256 the SHA-256 the bytes must have (hex, either case), or null
     */
    public Image create(RequestContext context, String name, ImageFormat format, @Nullable String expectedSha256) {
        Names.require("name", name);
        requireNonNull(format, "format is null");
        String expected = null;
        if (expectedSha256 != null) {
            expected = ImageContent.normalizeSha256(expectedSha256);
            if (!ImageContent.isSha256(expected)) {
                throw VireoException.invalid("sha256", "must be 64 hexadecimal digits");
            }
        }
        ImageContent content;
        if (format == ImageFormat.KERNEL_INITRD) {
            if (expected != null) {
                throw VireoException.invalid("sha256", "a kernel-initrd image is host-local and has no upload");
            }
            content = ImageContent.hostLocal();
        } else {
            content = ImageContent.pending(expected);
        }
        return store.images()
                .create(new Image(ids.next(), context.projectId(), name, clock.instant(), format, 0, content));
    }

    /** The image of the caller's project named, or with the id, {@code nameOrId}. */
    public Image get(RequestContext context, String nameOrId) {
        return find(context, nameOrId).orElseThrow(() -> VireoException.notFound("image", nameOrId));
    }

    private Optional<Image> find(RequestContext context, String nameOrId) {
        Optional<UUID> id = uuid(nameOrId);
        if (id.isPresent()) {
            Optional<Image> byId =
                    store.images().find(id.get()).filter(i -> i.projectId().equals(context.projectId()));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return Names.isValid(nameOrId) ? store.images().findByName(context.projectId(), nameOrId) : Optional.empty();
    }

    /**
     * Receives the bytes of a PENDING (or REJECTED, to try again) qcow2 or raw image and makes it ACTIVE if they are
     * acceptable. Refused bytes leave the image REJECTED with the reason and are deleted; an interrupted upload leaves
     * it PENDING.
     *
     * @param declaredLength the request's Content-Length, or -1 if unknown
     * @throws VireoException PAYLOAD_TOO_LARGE over the limit, INVALID_ARGUMENT for a checksum mismatch or bytes that
     *     fail inspection (details: {@code reason}), CONFLICT if the image takes no upload now
     */
    public Image upload(RequestContext context, String nameOrId, InputStream body, long declaredLength) {
        Image image = get(context, nameOrId);
        if (image.format() == ImageFormat.KERNEL_INITRD) {
            throw VireoException.conflict(
                    "image '" + image.name() + "' is a host-local kernel-initrd image: " + "it takes no upload");
        }
        ImageStatus from = image.content().status();
        if (from != ImageStatus.PENDING && from != ImageStatus.REJECTED) {
            throw VireoException.conflict("image '" + image.name() + "' is " + from + ": only a PENDING or REJECTED "
                    + "image takes an upload");
        }
        Image uploading = store.images()
                .updateContent(image.id(), from, image.content().uploading(), 0)
                .orElseThrow(() -> VireoException.conflict(
                        "image '" + image.name() + "' changed meanwhile (another upload?); try again"));
        if (declaredLength > maxUploadBytes) {
            throw reject(uploading, tooLarge());
        }
        ImageFiles.Received received;
        try {
            received = files.receive(body, maxUploadBytes);
        } catch (VireoException e) {
            throw reject(uploading, e);
        } catch (UncheckedIOException e) {
            store.images()
                    .updateContent(
                            image.id(),
                            ImageStatus.UPLOADING,
                            uploading.content().backToPending(),
                            0);
            throw VireoException.invalid("the upload was interrupted: " + e.getMessage());
        }
        try {
            return accept(uploading, received);
        } catch (VireoException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not the bytes' fault (the inspector could not run): the image may be uploaded again.
            store.images()
                    .updateContent(
                            image.id(),
                            ImageStatus.UPLOADING,
                            uploading.content().backToPending(),
                            0);
            throw e;
        }
    }

    private Image accept(Image uploading, ImageFiles.Received received) {
        boolean kept = false;
        try {
            String expected = uploading.content().expectedSha256();
            if (expected != null && !expected.equals(received.sha256())) {
                throw reject(
                        uploading,
                        new VireoException(
                                ErrorCode.INVALID_ARGUMENT,
                                "the uploaded bytes have SHA-256 " + received.sha256() + ", not the declared "
                                        + expected,
                                Map.of("field", "sha256", "reason", "checksum mismatch")));
            }
            ImageInspector.Verdict verdict = inspector.inspect(received.temporaryId(), uploading.format());
            if (verdict instanceof ImageInspector.Rejected rejected) {
                throw reject(
                        uploading,
                        new VireoException(
                                ErrorCode.INVALID_ARGUMENT,
                                "image rejected: " + rejected.reason(),
                                Map.of("reason", rejected.reason())));
            }
            files.commit(received.temporaryId(), uploading.id());
            kept = true;
            Optional<Image> active = store.images()
                    .updateContent(
                            uploading.id(),
                            ImageStatus.UPLOADING,
                            uploading.content().active(received.sha256()),
                            received.sizeBytes());
            if (active.isEmpty()) {
                files.delete(uploading.id());
                throw VireoException.notFound("image", uploading.name());
            }
            log.info(
                    "image {} ({}) is ACTIVE: {} bytes, sha256 {}",
                    uploading.name(),
                    uploading.id(),
                    received.sizeBytes(),
                    received.sha256());
            return active.get();
        } finally {
            if (!kept) {
                files.discard(received.temporaryId());
            }
        }
    }

    /** Marks {@code uploading} REJECTED with the message of {@code failure}, which it returns to be thrown. */
    private VireoException reject(Image uploading, VireoException failure) {
        store.images()
                .updateContent(
                        uploading.id(),
                        ImageStatus.UPLOADING,
                        uploading.content().rejected(String.valueOf(failure.getMessage())),
                        0);
        log.info("image {} ({}) rejected: {}", uploading.name(), uploading.id(), failure.getMessage());
        return failure;
    }

    private VireoException tooLarge() {
        return new VireoException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "the image is larger than the limit of " + maxUploadBytes + " bytes",
                Map.of("maxBytes", maxUploadBytes));
    }

    /** The bytes of an ACTIVE uploaded image and the image itself; the caller closes the stream. */
    public record ImageBytes(Image image, InputStream stream) {}

    /** The bytes of image {@code nameOrId} of the caller's project. */
    public ImageBytes download(RequestContext context, String nameOrId) {
        return open(get(context, nameOrId));
    }

    /** The bytes of image {@code id} of any project, for host agents (which hold the agents' credential). */
    public ImageBytes downloadForAgent(String id) {
        UUID imageId = uuid(id).orElseThrow(() -> VireoException.invalid("image", "agents name images by id"));
        return open(store.images().find(imageId).orElseThrow(() -> VireoException.notFound("image", id)));
    }

    private ImageBytes open(Image image) {
        requireUsable(image);
        if (image.content().sha256() == null) {
            throw VireoException.conflict("image '" + image.name() + "' is host-local: the server has no bytes of it");
        }
        return new ImageBytes(image, files.open(image.id()));
    }

    /** Deletes the image record and its bytes. VMs made from it keep running on their hosts' cached copies. */
    public void delete(RequestContext context, String nameOrId) {
        Image image = get(context, nameOrId);
        if (!store.images().delete(context.projectId(), image.name())) {
            throw VireoException.notFound("image", nameOrId);
        }
        files.delete(image.id());
    }

    private static Optional<UUID> uuid(String text) {
        if (text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
