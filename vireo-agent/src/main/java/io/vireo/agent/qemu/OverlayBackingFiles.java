package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which base images the VMs of a host stand on: the backing file named in the header of every qcow2 file in every VM
 * directory ({@code <stateDir>/qemu/<uuid>/*.qcow2}). This is the truth an image cache must respect: an overlay
 * refers to its base by the absolute path given to {@code qemu-img create -b}, whatever the VM's state or record says,
 * and the base may never be removed while an overlay names it. Stateless; reads the headers each time.
 */
final class OverlayBackingFiles {
    private static final int QCOW_MAGIC = 0x514649fb;
    /** qemu-img refuses longer backing file names (1023 bytes); a larger header field is not a qcow2 we made. */
    private static final int MAX_BACKING_NAME_BYTES = 4096;

    private OverlayBackingFiles() {}

    /**
     * The normalized absolute backing files of every qcow2 under {@code vmsRoot}'s VM directories.
     *
     * @throws UncheckedIOException if a qcow2 file cannot be read: the caller must then assume every image is in use
     */
    static Set<Path> scan(Path vmsRoot) {
        Set<Path> backing = new HashSet<>();
        if (!Files.isDirectory(vmsRoot)) {
            return backing;
        }
        try (DirectoryStream<Path> vms = Files.newDirectoryStream(vmsRoot)) {
            for (Path vm : vms) {
                if (!Files.isDirectory(vm, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> disks = Files.newDirectoryStream(vm, "*.qcow2")) {
                    for (Path disk : disks) {
                        backingFile(disk).ifPresent(file -> backing.add(file));
                    }
                } catch (NoSuchFileException e) {
                    // the VM's directory was deleted meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the VM disks under " + vmsRoot, e);
        }
        return backing;
    }

    /** True if a qcow2 under {@code vmsRoot} stands on {@code image}; true as well if that cannot be known. */
    static boolean inUse(Path vmsRoot, Path image) {
        requireNonNull(image, "image is null");
        try {
            return scan(vmsRoot).contains(image.toAbsolutePath().normalize());
        } catch (UncheckedIOException e) {
            return true;
        }
    }

    /** The backing file named in {@code disk}'s qcow2 header, if it has one, as a normalized absolute path. */
    static Optional<Path> backingFile(Path disk) throws IOException {
        byte[] header;
        try (InputStream in = Files.newInputStream(disk)) {
            header = in.readNBytes(20);
            if (header.length < 20) {
                return Optional.empty(); // being written: a file qemu-img has not finished has no backing yet
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            if (fields.getInt(0) != QCOW_MAGIC) {
                return Optional.empty();
            }
            long offset = fields.getLong(8);
            int size = fields.getInt(16);
            if (offset == 0 || size == 0) {
                return Optional.empty();
            }
            if (size < 0 || size > MAX_BACKING_NAME_BYTES || offset < 20) {
                throw new IOException(disk + " has a backing file name field of " + size + " bytes at " + offset);
            }
            in.skipNBytes(offset - 20);
            byte[] name = in.readNBytes(size);
            if (name.length != size) {
                throw new IOException(disk + " ends inside its backing file name");
            }
            return Optional.of(disk.resolveSibling(new String(name, UTF_8))
                    .toAbsolutePath()
                    .normalize());
        }
    }
}
