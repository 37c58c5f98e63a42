package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * An {@link ImageStore} over one local directory whose entries are named by image UUID only: {@code <uuid>.qcow2},
 * {@code <uuid>.raw}, or a directory {@code <uuid>/} with {@code vmlinuz} and {@code initramfs.cpio.gz}. Something else
 * (an operator, later the image download) puts the files there; this class only looks. Thread-safe (stateless).
 */
public final class LocalImageStore implements ImageStore {
    private final Path root;

    public LocalImageStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
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
}
