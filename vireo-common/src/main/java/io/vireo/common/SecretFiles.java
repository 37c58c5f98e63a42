package io.vireo.common;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Files and directories only the user running Vireo may read: tokens, passwords, the database's socket and log.
 * Secrets are 32 random bytes in hex, written atomically with mode 0600. Thread-safe (stateless).
 */
public final class SecretFiles {
    private static final int SECRET_BYTES = 32;
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{20,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {}

    /** Makes {@code directory} if missing and gives it mode 0700; refuses a symbolic link or another user's. */
    public static void privateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (Files.isSymbolicLink(directory)) {
            throw new IOException(directory + " is a symbolic link");
        }
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException(directory + " belongs to " + owner);
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    /** Makes {@code file} if missing, with mode 0600 (and gives an existing one that mode). */
    public static void privateFile(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Writes a new random secret to {@code file}; returns it. */
    public static String writeNew(Path file) throws IOException {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        writePrivate(file, secret + "\n");
        return secret;
    }

    /** The secret in {@code file}; refuses one that is not a plain token (letters, digits, '-' and '_'). */
    public static String read(Path file) throws IOException {
        String secret = Files.readString(file, UTF_8).trim();
        if (!isSecret(secret)) {
            throw new IOException(file + " does not hold a token of 20 to 200 letters, digits, '-' or '_'");
        }
        return secret;
    }

    /** The secret in {@code file}, made first if the file does not exist. */
    public static String readOrCreate(Path file) throws IOException {
        return Files.exists(file) ? read(file) : writeNew(file);
    }

    /** Whether {@code text} looks like a secret this class makes: safe in a file, a header or an SQL literal. */
    public static boolean isSecret(String text) {
        return SECRET.matcher(text).matches();
    }

    /** Writes {@code content} atomically with owner-only permissions. */
    public static void writePrivate(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                file.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content, UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
