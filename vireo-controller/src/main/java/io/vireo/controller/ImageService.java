package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageFiles;
import io.vireo.controller.port.ImageInspector;
import io.vireo.controller.port.ImageRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageFormat;
import io.vireo.model.ImageStatus;
import io.vireo.model.Project;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images with uploaded bytes: record creation, streaming upload (size limit, SHA-256, inspection) and the download
 * agents fetch. An image becomes {@link ImageStatus#ACTIVE} only after its bytes matched the declared checksum and
 * passed the {@link ImageInspector}; refused bytes are never kept.
 *
 * <p>Uploads that do not finish. Every upload is recorded on the image ({@link ImageRepository.Upload}: its id, which
 * names the partial file, this server replica's persistent id as owner, its start and last renewal). While this
 * process works on an upload, {@link #renewUploads()} (run every {@link UploadLeases#renewInterval()}) renews it. An
 * upload ends PENDING again with a reason ("the upload was interrupted: ...") and its file deleted when the client's
 * stream ends early or fails, when this replica starts again after a crash ({@link #recover()}: its own uploads from
 * before cannot be alive), or when its owner stopped renewing it for {@link UploadLeases#staleAfter()} ({@link
 * #reclaimStaleUploads()}, any replica). Another replica's upload that is still renewed is never touched.
 *
 * <p>Thread-safe: concurrent uploads of one image are serialized by a compare-and-set on its status, and every later
 * change of an upload is a compare-and-set on its upload id, so a reclaimed upload can change nothing.
 */
public final class ImageService {
    private static final Logger log = LoggerFactory.getLogger(ImageService.class);

    /**
     * How uploads prove their owner is alive.
     *
     * @param renewInterval how often the owner renews each upload it works on
     * @param staleAfter an upload not renewed for this long is reclaimed by any replica; several renew intervals, so
     *     a slow database round or a pause does not lose a live upload
     */
    public record UploadLeases(Duration renewInterval, Duration staleAfter) {
        public static final UploadLeases DEFAULT = new UploadLeases(Duration.ofSeconds(10), Duration.ofSeconds(60));

        public UploadLeases {
            requireNonNull(renewInterval, "renewInterval is null");
            requireNonNull(staleAfter, "staleAfter is null");
            if (renewInterval.isNegative() || renewInterval.isZero()) {
                throw new IllegalArgumentException("renewInterval must be positive");
            }
            if (staleAfter.compareTo(renewInterval.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("staleAfter must be at least three renew intervals");
            }
        }
    }

    private final Repositories store;
    private final ImageFiles files;
    private final ImageInspector inspector;
    private final IdGenerator ids;
    private final Clock clock;
    private final long maxUploadBytes;
    private final UUID replicaId;
    private final UploadLeases leases;
    /** The uploads this process works on: upload id to image id. */
    private final Map<UUID, UUID> inProgress = new ConcurrentHashMap<>();

    /** A service with a fresh replica id (nothing of a previous process is reclaimed at once) and default leases. */
    public ImageService(
            Repositories store,
            ImageFiles files,
            ImageInspector inspector,
            IdGenerator ids,
            Clock clock,
            long maxUploadBytes) {
        this(store, files, inspector, ids, clock, maxUploadBytes, ids.next(), UploadLeases.DEFAULT);
    }

    /**
     * @param maxUploadBytes the largest image accepted; a larger upload is refused with PAYLOAD_TOO_LARGE
     * @param replicaId this server replica's persistent id (the same after a restart, distinct between replicas)
     */
    public ImageService(
            Repositories store,
            ImageFiles files,
            ImageInspector inspector,
            IdGenerator ids,
            Clock clock,
            long maxUploadBytes,
            UUID replicaId,
            UploadLeases leases) {
        this.store = requireNonNull(store, "store is null");
        this.files = requireNonNull(files, "files is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        this.maxUploadBytes = maxUploadBytes;
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
        this.leases = requireNonNull(leases, "leases is null");
    }

    public UploadLeases leases() {
        return leases;
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
     * it PENDING with the reason and deletes what arrived.
     *
     * @param declaredLength the request's Content-Length, or -1 if unknown
     * @throws VireoException PAYLOAD_TOO_LARGE over the limit, INVALID_ARGUMENT for a checksum mismatch, bytes that
     *     fail inspection (details: {@code reason}) or a stream that ended early, CONFLICT if the image takes no upload
     *     now, UNAVAILABLE if images cannot be inspected on this server ({@link ImageInspector#unavailable()}): the
     *     image is then left as it was, its status and reason unchanged
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
        Optional<String> uninspectable = inspector.unavailable();
        if (uninspectable.isPresent()) {
            throw cannotInspect(uninspectable.get());
        }
        Instant now = clock.instant();
        UUID uploadId = ids.next();
        Image uploading = store.images()
                .startUpload(from, new ImageRepository.Upload(image.id(), uploadId, replicaId, now, now))
                .orElseThrow(() -> VireoException.conflict(
                        "image '" + image.name() + "' changed meanwhile (another upload?); try again"));
        inProgress.put(uploadId, image.id());
        try {
            return receive(uploading, image.content(), uploadId, body, declaredLength);
        } finally {
            inProgress.remove(uploadId);
        }
    }

    /** Why an upload is refused, unread, while images cannot be inspected: 503 with the reason. */
    private static VireoException cannotInspect(String reason) {
        return new VireoException(ErrorCode.UNAVAILABLE, reason, Map.of("reason", reason));
    }

    /** @param before the image's content before this upload, which it gets back if the bytes cannot be inspected */
    private Image receive(Image uploading, ImageContent before, UUID uploadId, InputStream body, long declaredLength) {
        if (declaredLength > maxUploadBytes) {
            throw reject(uploading, uploadId, tooLarge());
        }
        ImageFiles.Received received;
        try {
            received = files.receive(uploadId, body, maxUploadBytes);
        } catch (VireoException e) {
            throw reject(uploading, uploadId, e);
        } catch (UncheckedIOException e) {
            throw interrupted(uploading, uploadId, "the upload stream failed: " + e.getMessage());
        }
        if (declaredLength >= 0 && received.sizeBytes() != declaredLength) {
            files.discard(uploadId);
            throw interrupted(
                    uploading,
                    uploadId,
                    "the upload stream ended after " + received.sizeBytes() + " of " + declaredLength + " bytes");
        }
        try {
            return accept(uploading, before, uploadId, received);
        } catch (VireoException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not the bytes' fault (the inspector failed): the image may be uploaded again. The exception goes to the
            // log with the request (a 500), not into the image's reason, which its owner reads.
            files.discard(uploadId);
            finish(
                    uploading,
                    uploadId,
                    uploading
                            .content()
                            .interrupted("the upload could not be inspected because of a server error; upload the file"
                                    + " again"));
            throw e;
        }
    }

    /** Ends an upload whose bytes did not all arrive: PENDING again with the reason; returns the error to throw. */
    private VireoException interrupted(Image uploading, UUID uploadId, String why) {
        String reason = "the upload was interrupted: " + why + "; upload the file again";
        finish(uploading, uploadId, uploading.content().interrupted(reason));
        log.info("image {} ({}): {}", uploading.name(), uploading.id(), reason);
        return new VireoException(
                ErrorCode.INVALID_ARGUMENT, reason, Map.of("field", "body", "reason", "upload interrupted"));
    }

    private Optional<Image> finish(Image uploading, UUID uploadId, ImageContent content) {
        return store.images().finishUpload(uploading.id(), uploadId, content, 0);
    }

    private Image accept(Image uploading, ImageContent before, UUID uploadId, ImageFiles.Received received) {
        boolean kept = false;
        try {
            requireOwned(uploading, uploadId);
            String expected = uploading.content().expectedSha256();
            if (expected != null && !expected.equals(received.sha256())) {
                throw reject(
                        uploading,
                        uploadId,
                        new VireoException(
                                ErrorCode.INVALID_ARGUMENT,
                                "the uploaded bytes have SHA-256 " + received.sha256() + ", not the declared "
                                        + expected,
                                Map.of("field", "sha256", "reason", "checksum mismatch")));
            }
            ImageInspector.Verdict verdict = inspect(uploading, before, uploadId, received);
            if (verdict instanceof ImageInspector.Rejected rejected) {
                throw reject(
                        uploading,
                        uploadId,
                        new VireoException(
                                ErrorCode.INVALID_ARGUMENT,
                                "image rejected: " + rejected.reason(),
                                Map.of("reason", rejected.reason())));
            }
            // Only the upload's owner may put bytes under the image's name: one reclaimed meanwhile stops here.
            requireOwned(uploading, uploadId);
            files.commit(received.temporaryId(), uploading.id());
            kept = true;
            Optional<Image> active = store.images()
                    .finishUpload(
                            uploading.id(),
                            uploadId,
                            uploading.content().active(received.sha256()),
                            received.sizeBytes());
            if (active.isEmpty()) {
                boolean someoneElsesBytes = store.images()
                        .find(uploading.id())
                        .filter(Image::usable)
                        .isPresent();
                if (!someoneElsesBytes) {
                    files.delete(uploading.id());
                }
                throw lost(uploading);
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

    /**
     * The inspector's verdict; if it cannot inspect at all (UNAVAILABLE: a tool it needs went missing since the upload
     * began), the image gets its content from before the upload back and the error is thrown.
     */
    private ImageInspector.Verdict inspect(
            Image uploading, ImageContent before, UUID uploadId, ImageFiles.Received received) {
        try {
            return inspector.inspect(received.temporaryId(), uploading.format());
        } catch (VireoException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                finish(uploading, uploadId, before);
                log.warn("image {} ({}): upload not inspected: {}", uploading.name(), uploading.id(), e.getMessage());
            }
            throw e;
        }
    }

    /** Fails unless upload {@code uploadId} is still the image's current one (and renews it). */
    private void requireOwned(Image uploading, UUID uploadId) {
        if (!store.images().renewUpload(uploading.id(), uploadId, clock.instant())) {
            throw lost(uploading);
        }
    }

    private static VireoException lost(Image uploading) {
        return VireoException.conflict("image '" + uploading.name() + "' was deleted, or its upload reclaimed as "
                + "interrupted, while the bytes arrived; try again");
    }

    /** Marks {@code uploading} REJECTED with the message of {@code failure}, which it returns to be thrown. */
    private VireoException reject(Image uploading, UUID uploadId, VireoException failure) {
        finish(uploading, uploadId, uploading.content().rejected(String.valueOf(failure.getMessage())));
        log.info("image {} ({}) rejected: {}", uploading.name(), uploading.id(), failure.getMessage());
        return failure;
    }

    private VireoException tooLarge() {
        return new VireoException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "the image is larger than the limit of " + maxUploadBytes + " bytes",
                Map.of("maxBytes", maxUploadBytes));
    }

    /**
     * At start, before this replica takes uploads: reclaims the uploads this replica owned before it stopped and those
     * gone stale, then removes every file of the image directory no image references (partial uploads not in progress,
     * bytes of images deleted or never made ACTIVE, e.g. by a crash between writing the file and updating the row).
     * The files are listed before the rows are read, and an upload's row is written before its file, so a file of an
     * upload another replica (sharing the directory) starts meanwhile is never taken for an orphan.
     *
     * @return how many uploads were reclaimed and files removed
     */
    public Recovery recover() {
        int reclaimed = reclaim(true);
        ImageFiles.Listing listing = files.list();
        Set<UUID> liveUploads = new HashSet<>();
        Set<UUID> wantedImages = new HashSet<>(store.images().storedImageIds());
        for (ImageRepository.Upload upload : store.images().uploads()) {
            liveUploads.add(upload.uploadId());
            wantedImages.add(upload.imageId()); // committed, the row not yet ACTIVE: its owner is still at work
        }
        int removed = 0;
        for (UUID upload : listing.uploadIds()) {
            if (!liveUploads.contains(upload)) {
                files.discard(upload);
                removed++;
            }
        }
        for (UUID image : listing.imageIds()) {
            if (!wantedImages.contains(image)) {
                files.delete(image);
                removed++;
            }
        }
        if (reclaimed > 0 || removed > 0) {
            log.info(
                    "image recovery: {} interrupted uploads reclaimed, {} unreferenced files removed",
                    reclaimed,
                    removed);
        }
        return new Recovery(reclaimed, removed);
    }

    /** What {@link #recover()} did. */
    public record Recovery(int uploadsReclaimed, int filesRemoved) {}

    /** Reclaims uploads whose owner has not renewed them for {@link UploadLeases#staleAfter()}; returns how many. */
    public int reclaimStaleUploads() {
        return reclaim(false);
    }

    /** Renews every upload this process works on; an upload found reclaimed or deleted is dropped (it ends with 409). */
    public void renewUploads() {
        Instant now = clock.instant();
        inProgress.forEach((uploadId, imageId) -> {
            if (!store.images().renewUpload(imageId, uploadId, now)) {
                inProgress.remove(uploadId);
            }
        });
    }

    private int reclaim(boolean starting) {
        Instant staleBefore = clock.instant().minus(leases.staleAfter());
        int reclaimed = 0;
        for (ImageRepository.Upload upload : store.images().uploads()) {
            if (inProgress.containsKey(upload.uploadId())) {
                continue;
            }
            String why;
            if (starting && upload.owner().equals(replicaId)) {
                why = "the server receiving it restarted";
            } else if (upload.renewedAt().isBefore(staleBefore)) {
                why = "the server receiving it stopped (last heard of at " + upload.renewedAt() + ")";
            } else {
                continue; // another replica's upload, alive
            }
            if (reclaim(upload, why)) {
                reclaimed++;
            }
        }
        return reclaimed;
    }

    private boolean reclaim(ImageRepository.Upload upload, String why) {
        Optional<Image> image = store.images().find(upload.imageId());
        if (image.isEmpty()) {
            return false;
        }
        String reason = "the upload was interrupted: " + why + "; upload the file again";
        Optional<Image> pending = store.images()
                .finishUpload(
                        upload.imageId(),
                        upload.uploadId(),
                        image.get().content().interrupted(reason),
                        0);
        if (pending.isEmpty()) {
            return false; // finished or reclaimed by someone else meanwhile
        }
        files.discard(upload.uploadId());
        files.delete(upload.imageId());
        log.info("image {} ({}): {}", image.get().name(), upload.imageId(), reason);
        return true;
    }

    /** The bytes of an ACTIVE uploaded image and the image itself; the caller closes the stream. */
    public record ImageBytes(Image image, InputStream stream) {}

    /** The bytes of image {@code nameOrId} of the caller's project, or of a public image (ADR 14). */
    public ImageBytes download(RequestContext context, String nameOrId) {
        Optional<Image> image = find(context, nameOrId);
        if (image.isEmpty()) {
            image = find(new RequestContext(Project.ADMIN_ID, context.correlationId()), nameOrId);
        }
        return open(image.orElseThrow(() -> VireoException.notFound("image", nameOrId)));
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

    /**
     * Deletes the image record and its bytes; CONFLICT, changing nothing, while VMs that are not DELETED were made from
     * it (ADR 12): a VM placed again elsewhere needs the bytes.
     */
    public void delete(RequestContext context, String nameOrId) {
        Image image = get(context, nameOrId);
        CatalogService.requireDeleted(store.images().delete(context.projectId(), image.name()), "image", nameOrId);
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
