package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.ImageRepository;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The images of {@link InMemoryStore}, guarded by the store's one lock: an image is deleted only while no VM that is
 * not DELETED was made from it, which the lock makes atomic with VM creates. Thread-safe.
 */
final class InMemoryImages implements ImageRepository {
    private final Object lock;
    private final ToLongFunction<UUID> liveVmsOf;
    private final Map<UUID, Image> images = new LinkedHashMap<>();
    private final Map<UUID, ImageRepository.Upload> imageUploads = new LinkedHashMap<>();

    /** @param liveVmsOf how many VMs that are not DELETED were made from an image, called under the lock */
    InMemoryImages(Object lock, ToLongFunction<UUID> liveVmsOf) {
        this.lock = requireNonNull(lock, "lock is null");
        this.liveVmsOf = requireNonNull(liveVmsOf, "liveVmsOf is null");
    }

    @Override
    public Image create(Image image) {
        synchronized (lock) {
            if (findByName(image.projectId(), image.name()).isPresent()) {
                throw VireoException.alreadyExists("image", image.name());
            }
            images.put(image.id(), image);
            return image;
        }
    }

    @Override
    public Optional<Image> find(UUID id) {
        synchronized (lock) {
            return Optional.ofNullable(images.get(id));
        }
    }

    @Override
    public Optional<Image> findByName(UUID projectId, String name) {
        synchronized (lock) {
            return images.values().stream()
                    .filter(i -> i.projectId().equals(projectId) && i.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Image> list(UUID projectId) {
        synchronized (lock) {
            return images.values().stream()
                    .filter(i -> i.projectId().equals(projectId))
                    .sorted(comparing(Image::name))
                    .toList();
        }
    }

    @Override
    public CatalogDeletion delete(UUID projectId, String name) {
        synchronized (lock) {
            Optional<Image> image = findByName(projectId, name);
            if (image.isEmpty()) {
                return CatalogDeletion.NOT_FOUND;
            }
            long using = liveVmsOf.applyAsLong(image.get().id());
            if (using > 0) {
                return new CatalogDeletion.InUse(using);
            }
            images.remove(image.get().id());
            imageUploads.remove(image.get().id());
            return CatalogDeletion.DELETED;
        }
    }

    @Override
    public Optional<Image> updateContent(UUID id, ImageStatus expected, ImageContent content, long sizeBytes) {
        if (content.status() == ImageStatus.UPLOADING || expected == ImageStatus.UPLOADING) {
            throw new IllegalArgumentException("uploads start with startUpload and end with finishUpload");
        }
        synchronized (lock) {
            Image current = images.get(id);
            if (current == null || current.content().status() != expected) {
                return Optional.empty();
            }
            Image updated = current.withContent(content, sizeBytes);
            images.put(id, updated);
            return Optional.of(updated);
        }
    }

    @Override
    public Optional<Image> startUpload(ImageStatus expected, ImageRepository.Upload upload) {
        synchronized (lock) {
            Image current = images.get(upload.imageId());
            if (current == null || current.content().status() != expected || expected == ImageStatus.UPLOADING) {
                return Optional.empty();
            }
            Image updated = current.withContent(current.content().uploading(), 0);
            images.put(current.id(), updated);
            imageUploads.put(current.id(), upload);
            return Optional.of(updated);
        }
    }

    @Override
    public boolean renewUpload(UUID imageId, UUID uploadId, Instant now) {
        synchronized (lock) {
            ImageRepository.Upload upload = imageUploads.get(imageId);
            if (upload == null || !upload.uploadId().equals(uploadId)) {
                return false;
            }
            imageUploads.put(
                    imageId, new ImageRepository.Upload(imageId, uploadId, upload.owner(), upload.startedAt(), now));
            return true;
        }
    }

    @Override
    public Optional<Image> finishUpload(UUID imageId, UUID uploadId, ImageContent content, long sizeBytes) {
        if (content.status() == ImageStatus.UPLOADING) {
            throw new IllegalArgumentException("an upload cannot finish UPLOADING");
        }
        synchronized (lock) {
            ImageRepository.Upload upload = imageUploads.get(imageId);
            Image current = images.get(imageId);
            if (upload == null || current == null || !upload.uploadId().equals(uploadId)) {
                return Optional.empty();
            }
            imageUploads.remove(imageId);
            Image updated = current.withContent(content, sizeBytes);
            images.put(imageId, updated);
            return Optional.of(updated);
        }
    }

    @Override
    public List<ImageRepository.Upload> uploads() {
        synchronized (lock) {
            return List.copyOf(imageUploads.values());
        }
    }

    @Override
    public List<UUID> storedImageIds() {
        synchronized (lock) {
            return images.values().stream()
                    .filter(i -> i.content().sha256() != null)
                    .map(Image::id)
                    .toList();
        }
    }
}
