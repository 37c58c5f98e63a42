package io.vireo.agent.qemu;

import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Where the QEMU driver finds the cached base of an image. A VM never writes to the base: its disk is a qcow2 overlay
 * on top. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ImageStore {
    /** In a {@link ImageFormat#KERNEL_INITRD} image directory: the kernel. */
    String KERNEL_FILE = "vmlinuz";
    /** In a {@link ImageFormat#KERNEL_INITRD} image directory: the initial RAM disk. */
    String INITRD_FILE = "initramfs.cpio.gz";

    /**
     * The cached base of image {@code imageId} as an absolute path: the image file for {@link ImageFormat#QCOW2} and
     * {@link ImageFormat#RAW}; for {@link ImageFormat#KERNEL_INITRD} a directory holding {@link #KERNEL_FILE} and
     * {@link #INITRD_FILE}.
     *
     * @throws io.vireo.agent.hypervisor.HypervisorException if the image is not cached on this host
     */
    Path resolve(UUID imageId, ImageFormat format);

    /**
     * The cached base of {@code vm}'s image, fetched first if the server stores it ({@link DesiredVm#imageDownload()})
     * and it is not cached yet; a fetched image is used only if its SHA-256 and size are the expected ones.
     *
     * @throws io.vireo.agent.hypervisor.HypervisorException if the image cannot be had, or its bytes are not the ones
     *     expected
     */
    default Path fetch(DesiredVm vm) {
        return resolve(vm.imageId(), vm.imageFormat());
    }

    /**
     * The base of {@code vm}'s image as {@link #fetch} gives it, kept from eviction until the pin is closed: the
     * driver holds it while it makes the VM's overlay, after which the overlay's backing file protects it. Close it on
     * the thread that pinned it.
     */
    default Pinned pin(DesiredVm vm) {
        return new Pinned(fetch(vm), () -> {});
    }

    /**
     * Removes cached images, least recently used first, while the cache is over its limit, never one that is pinned
     * or for which {@code inUse} (asked about each candidate's path while it is locked) is true. Host-local images are
     * never removed.
     *
     * @return the files removed
     */
    default List<Path> evict(Predicate<Path> inUse) {
        return List.of();
    }

    /** A pinned base image; see {@link #pin}. */
    record Pinned(Path path, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }
}
