package io.vireo.images;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageFiles} in one local directory: uploads arrive as {@code <uuid>.part} (a fresh UUID), committed images
 * are {@code <image id>} (nothing else). Bytes are copied through a fixed buffer, never held whole in memory.
 * Thread-safe: every upload writes its own file and commits by an atomic rename.
 */
public final class LocalImageFiles implements ImageFiles {
    private static final Logger log = LoggerFactory.getLogger(LocalImageFiles.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String PART = ".part";
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;

    /**
     * Creates {@code directory} if needed; image bytes are for the server alone, so the directory is made 0700 and its
     * files 0600 (an older Vireo wrote them 0644). Which files a previous process left are still wanted is for
     * {@code ImageService.recover} to decide, since another replica may share the directory.
     */
    public LocalImageFiles(Path directory) {
        this.directory =
                requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
            Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwx------"));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
                for (Path file : files) {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the image directory " + this.directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The file of a received, not yet committed upload. */
    public Path temporaryFile(UUID temporaryId) {
        return directory.resolve(requireNonNull(temporaryId, "temporaryId is null") + PART);
    }

    /** The file of a committed image. */
    public Path imageFile(UUID imageId) {
        return directory.resolve(requireNonNull(imageId, "imageId is null").toString());
    }

    @Override
    public Received receive(UUID uploadId, InputStream body, long maxBytes) {
        requireNonNull(body, "body is null");
        UUID temporaryId = requireNonNull(uploadId, "uploadId is null");
        Path file = temporaryFile(temporaryId);
        boolean complete = false;
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)))) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[BUFFER_BYTES];
            long total = 0;
            int read;
            while ((read = body.read(buffer)) != -1) {
                total += read;
                if (total > maxBytes) {
                    throw new VireoException(
                            ErrorCode.PAYLOAD_TOO_LARGE,
                            "the image is larger than the limit of " + maxBytes + " bytes",
                            Map.of("maxBytes", maxBytes));
                }
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
            complete = true;
            return new Received(temporaryId, total, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive the image: " + e.getMessage(), e);
        } finally {
            if (!complete) {
                discard(temporaryId);
            }
        }
    }

    @Override
    public Listing list() {
        Set<UUID> images = new HashSet<>();
        Set<UUID> uploads = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean partial = name.endsWith(PART);
                Optional<UUID> id = uuid(partial ? name.substring(0, name.length() - PART.length()) : name);
                if (id.isPresent() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    (partial ? uploads : images).add(id.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the image directory " + directory, e);
        }
        return new Listing(images, uploads);
    }

    /** {@code name} as a UUID if it is one in canonical form (the only names Vireo gives files). */
    private static Optional<UUID> uuid(String name) {
        if (name.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(name);
            return id.toString().equals(name) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void commit(UUID temporaryId, UUID imageId) {
        Path source = temporaryFile(temporaryId);
        Path target = imageFile(imageId);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("the image directory does not support atomic renames", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit image " + imageId, e);
        }
    }

    @Override
    public void discard(UUID temporaryId) {
        deleteQuietly(temporaryFile(temporaryId));
    }

    @Override
    public InputStream open(UUID imageId) {
        try {
            return Files.newInputStream(imageFile(imageId));
        } catch (NoSuchFileException e) {
            throw new VireoException(ErrorCode.NOT_FOUND, "the bytes of image " + imageId + " are missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + imageId, e);
        }
    }

    @Override
    public void delete(UUID imageId) {
        deleteQuietly(imageFile(imageId));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}", file, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
