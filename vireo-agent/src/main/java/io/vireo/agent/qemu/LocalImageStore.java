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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
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
 *       start. Cached images are kept for later VMs (overlays of running VMs refer to them).
 * </ul>
 *
 * <p>Thread-safe: concurrent VMs wanting the same image wait for one download.
 */
public final class LocalImageStore implements ImageStore {
    private static final Logger log = LoggerFactory.getLogger(LocalImageStore.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String PART = ".part";

    private final Path root;
    private final Path cacheDir;
    private final @Nullable ImageFetcher fetcher;
    private final ConcurrentMap<UUID, ReentrantLock> downloads = new ConcurrentHashMap<>();

    /** A store of host-local images only. */
    public LocalImageStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.cacheDir = this.root;
        this.fetcher = null;
    }

    /**
     * @param cacheDir where downloaded images are kept (created if needed; unfinished downloads in it are removed)
     * @param fetcher where images the server stores come from; null if this agent cannot fetch them
     */
    public LocalImageStore(Path root, Path cacheDir, @Nullable ImageFetcher fetcher) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.cacheDir =
                requireNonNull(cacheDir, "cacheDir is null").toAbsolutePath().normalize();
        this.fetcher = fetcher;
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
        ImageDownload download = vm.imageDownload();
        if (download == null || vm.imageFormat() == ImageFormat.KERNEL_INITRD) {
            return resolve(vm.imageId(), vm.imageFormat());
        }
        Path target = cached(vm.imageId(), vm.imageFormat());
        ReentrantLock lock = downloads.computeIfAbsent(vm.imageId(), id -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isRegularFile(target) && sizeOf(target) == download.sizeBytes()) {
                return target;
            }
            Files.deleteIfExists(target);
            download(vm.imageId(), download, target);
            return target;
        } catch (IOException e) {
            throw new HypervisorException("cannot fetch image " + vm.imageId() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
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
