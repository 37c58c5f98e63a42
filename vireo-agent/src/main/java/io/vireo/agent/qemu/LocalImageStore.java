package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageDownload;
import io.vireo.model.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ImageStore} over two local directories whose entries are named by image UUID only.
 *
 * <ul>
 *   <li>The host-local directory ({@code root}): {@code <uuid>.qcow2}, {@code <uuid>.raw}, or a directory
 *       {@code <uuid>/} with {@code vmlinuz} and {@code initramfs.cpio.gz}. Something else (an operator, {@code vireo
 *       up} linking the test guest) puts them there; this class only looks.
 *   <li>The download cache ({@code cacheDir}): images the server stores, fetched by {@link #fetch} through an
 *       {@link ImageFetcher}. A download goes to {@code <random uuid>.part}, is checked against the SHA-256 and size
 *       the server sent with the VM, and only then renamed (atomically) to {@code <image id>.<format>}: a file under
 *       that name is complete and verified, so it is reused; a {@code .part} file is never trusted and is removed at
 *       start. Cached images are kept for later VMs while the cache is within {@code maxCacheBytes}; beyond it,
 *       {@link #evict} removes the least recently used (last-modified time, set at each use) that no VM uses.
 * </ul>
 *
 * <p>Thread-safe. Each cached image has a read-write lock: a download and an eviction hold it exclusively, a
 * {@linkplain #pin pin} (a VM being created from the image) holds it shared. Concurrent VMs wanting the same image
 * wait for one download; eviction only {@code tryLock}s, so it never waits for, nor blocks, a download or a creation.
 */
public final class LocalImageStore implements ImageStore {
    private static final Logger log = LoggerFactory.getLogger(LocalImageStore.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String PART = ".part";

    private final Path root;
    private final Path cacheDir;
    private final @Nullable ImageFetcher fetcher;
    private final long maxCacheBytes;
    private final Clock clock;
    private final ConcurrentMap<UUID, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

    /** A store of host-local images only. */
    public LocalImageStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.cacheDir = this.root;
        this.fetcher = null;
        this.maxCacheBytes = Long.MAX_VALUE;
        this.clock = Clock.systemUTC();
    }

    /**
     * @param cacheDir where downloaded images are kept (created if needed; unfinished downloads in it are removed)
     * @param fetcher where images the server stores come from; null if this agent cannot fetch them
     */
    public LocalImageStore(Path root, Path cacheDir, @Nullable ImageFetcher fetcher) {
        this(root, cacheDir, fetcher, Long.MAX_VALUE, Clock.systemUTC());
    }

    /**
     * @param maxCacheBytes the size the download cache is brought back under by {@link #evict} (images in use may
     *     keep it above)
     * @param clock stamps each use of a cached image, for least-recently-used eviction
     */
    public LocalImageStore(Path root, Path cacheDir, @Nullable ImageFetcher fetcher, long maxCacheBytes, Clock clock) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.cacheDir =
                requireNonNull(cacheDir, "cacheDir is null").toAbsolutePath().normalize();
        if (this.cacheDir.equals(this.root)) {
            throw new IllegalArgumentException("the download cache must not be the host-local image directory");
        }
        this.fetcher = fetcher;
        if (maxCacheBytes < 0) {
            throw new IllegalArgumentException("maxCacheBytes is negative");
        }
        this.maxCacheBytes = maxCacheBytes;
        this.clock = requireNonNull(clock, "clock is null");
        removeUnfinishedDownloads();
    }

    public Path root() {
        return root;
    }

    /** Where image {@code imageId} of {@code format} belongs in this store, whether or not it is there yet. */
    public Path location(UUID imageId, ImageFormat format) {
        requireNonNull(imageId, "imageId is null");
        requireNonNull(format, "format is null");
        return switch (format) {
            case QCOW2 -> root.resolve(imageId + ".qcow2");
            case RAW -> root.resolve(imageId + ".raw");
            case KERNEL_INITRD -> root.resolve(imageId.toString());
        };
    }

    /** Where a downloaded image {@code imageId} of {@code format} is cached once verified. */
    public Path cached(UUID imageId, ImageFormat format) {
        if (format == ImageFormat.KERNEL_INITRD) {
            throw new IllegalArgumentException("a kernel-initrd image is host-local, never downloaded");
        }
        return cacheDir.resolve(imageId + "." + format.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public Path resolve(UUID imageId, ImageFormat format) {
        Path location = location(imageId, format);
        boolean present = format == ImageFormat.KERNEL_INITRD
                ? Files.isRegularFile(location.resolve(KERNEL_FILE))
                        && Files.isRegularFile(location.resolve(INITRD_FILE))
                : Files.isRegularFile(location);
        if (!present) {
            throw new HypervisorException("image " + imageId + " (" + format + ") is not cached on this host");
        }
        return location;
    }

    @Override
    public Path fetch(DesiredVm vm) {
        try (Pinned pinned = pin(vm)) {
            return pinned.path();
        }
    }

    @Override
    public Pinned pin(DesiredVm vm) {
        ImageDownload download = vm.imageDownload();
        if (download == null || vm.imageFormat() == ImageFormat.KERNEL_INITRD) {
            return new Pinned(resolve(vm.imageId(), vm.imageFormat()), () -> {});
        }
        Path target = cached(vm.imageId(), vm.imageFormat());
        ReentrantReadWriteLock lock = lock(vm.imageId());
        lock.writeLock().lock();
        try {
            if (!Files.isRegularFile(target) || sizeOf(target) != download.sizeBytes()) {
                Files.deleteIfExists(target);
                download(vm.imageId(), download, target);
            }
            Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
            lock.readLock().lock(); // downgrade: eviction cannot take the image until the pin is closed
            return new Pinned(target, lock.readLock()::unlock);
        } catch (IOException e) {
            throw new HypervisorException("cannot fetch image " + vm.imageId() + ": " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ReentrantReadWriteLock lock(UUID imageId) {
        return locks.computeIfAbsent(imageId, id -> new ReentrantReadWriteLock());
    }

    /**
     * Removes verified downloads, least recently used first, while the cache holds more than {@code maxCacheBytes},
     * skipping any image pinned or downloading right now (its lock is busy) and any whose path {@code inUse} accepts
     * (asked while the image's lock is held, so no VM can start using it meanwhile).
     */
    @Override
    public List<Path> evict(Predicate<Path> inUse) {
        requireNonNull(inUse, "inUse is null");
        if (cacheDir.equals(root)) {
            return List.of(); // host-local images only: never removed
        }
        List<CachedImage> cached = cachedImages();
        long total = cached.stream().mapToLong(CachedImage::sizeBytes).sum();
        List<Path> removed = new ArrayList<>();
        for (CachedImage image : cached) {
            if (total <= maxCacheBytes) {
                break;
            }
            if (evictOne(image, inUse)) {
                total -= image.sizeBytes();
                removed.add(image.path());
            }
        }
        if (total > maxCacheBytes) {
            log.warn(
                    "the image cache holds {} bytes, over its limit of {}: the rest is in use by VMs on this host",
                    total,
                    maxCacheBytes);
        }
        return List.copyOf(removed);
    }

    private boolean evictOne(CachedImage image, Predicate<Path> inUse) {
        ReentrantReadWriteLock lock = lock(image.imageId());
        if (!lock.writeLock().tryLock()) {
            return false;
        }
        try {
            if (inUse.test(image.path())) {
                return false;
            }
            Files.deleteIfExists(image.path());
            log.info(
                    "evicted image {} from the cache ({} bytes, last used {})",
                    image.imageId(),
                    image.sizeBytes(),
                    image.lastUsed());
            return true;
        } catch (IOException e) {
            log.warn("cannot evict {}", image.path(), e);
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A verified download in the cache. */
    record CachedImage(UUID imageId, Path path, long sizeBytes, FileTime lastUsed) {}

    /** The verified downloads in the cache, least recently used first. */
    List<CachedImage> cachedImages() {
        List<CachedImage> images = new ArrayList<>();
        if (!Files.isDirectory(cacheDir)) {
            return images;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cacheDir)) {
            for (Path file : files) {
                cachedImageId(file).ifPresent(id -> {
                    try {
                        BasicFileAttributes attributes =
                                Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (attributes.isRegularFile()) {
                            images.add(new CachedImage(id, file, attributes.size(), attributes.lastModifiedTime()));
                        }
                    } catch (IOException e) {
                        log.debug("{} vanished while listing the cache", file, e);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the image cache " + cacheDir, e);
        }
        images.sort(Comparator.comparing(CachedImage::lastUsed).thenComparing(CachedImage::imageId));
        return images;
    }

    /** The image id of a cache file named {@code <uuid>.qcow2} or {@code <uuid>.raw}; nothing else is ours. */
    private static Optional<UUID> cachedImageId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        if (dot != 36 || !(name.endsWith(".qcow2") || name.endsWith(".raw")) || name.indexOf('.', dot + 1) != -1) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(name.substring(0, dot));
            return id.toString().equals(name.substring(0, dot)) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void download(UUID imageId, ImageDownload expected, Path target) throws IOException {
        ImageFetcher source = fetcher;
        if (source == null) {
            throw new HypervisorException("image " + imageId + " is stored by the server, and this agent has no"
                    + " image URL to fetch it from (vireo agent --image-url)");
        }
        Files.createDirectories(cacheDir);
        Path part = cacheDir.resolve(UUID.randomUUID() + PART);
        try {
            MessageDigest digest = sha256();
            long total = 0;
            try (InputStream in = source.open(imageId);
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    total += read;
                    if (total > expected.sizeBytes()) {
                        throw new HypervisorException("image " + imageId + ": the download is larger than the "
                                + expected.sizeBytes() + " bytes expected");
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (total != expected.sizeBytes() || !actual.equals(expected.sha256())) {
                throw new HypervisorException("image " + imageId + ": checksum mismatch: downloaded " + total
                        + " bytes with SHA-256 " + actual + ", expected " + expected.sizeBytes() + " bytes with "
                        + expected.sha256());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("fetched image {}: {} bytes, SHA-256 verified", imageId, total);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private void removeUnfinishedDownloads() {
        if (!Files.isDirectory(cacheDir)) {
            return;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(cacheDir, "*" + PART)) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the image cache " + cacheDir, e);
        }
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.size(file);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
