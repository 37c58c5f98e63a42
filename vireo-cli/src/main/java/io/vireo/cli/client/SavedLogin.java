package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code vireo login} keeps: the server, the user and the token, in {@value #FILE} of the CLI's configuration
 * directory ({@value #CONFIG_VARIABLE}, else {@code $XDG_CONFIG_HOME/vireo}, else {@code ~/.config/vireo}). The
 * directory is made 0700 and the file written 0600 before the token is in it, then moved into place; a file that
 * others can read is refused rather than used.
 *
 * @param url the server's root URL, as {@link ConnectionResolver#parseUrl} normalises it
 * @param tokenId the token's id, to revoke it at logout
 */
public record SavedLogin(URI url, String user, String token, String tokenId, String expiresAt) {
    public static final String CONFIG_VARIABLE = "VIREO_CONFIG_DIR";
    public static final String FILE = "credentials.json";
    /** The certificates trusted for the login's server, when the login was made trusting a file of them. */
    public static final String CA_FILE = "ca.pem";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_FILE_BYTES = 16 * 1024;

    public SavedLogin {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(token, "token is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** The CLI's configuration directory. */
    public static Path directory(Map<String, String> environment, Path userHome) {
        String own = environment.get(CONFIG_VARIABLE);
        if (own != null && !own.isBlank()) {
            return Path.of(own.strip());
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg.strip()).resolve("vireo");
        }
        return userHome.resolve(".config").resolve("vireo");
    }

    /** The saved login in {@code directory}, if any. */
    public static Optional<SavedLogin> read(Path directory) {
        Path file = directory.resolve(FILE);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            if (!permissions.endsWith("------")) {
                throw new CliException(
                        CliErrorCode.NOT_CONFIGURED,
                        file + " is readable by others (" + permissions + "): run 'vireo login' again or chmod 600 it");
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " is too large to be a saved login");
            }
            JsonNode json = MAPPER.readTree(bytes);
            return Optional.of(new SavedLogin(
                    ConnectionResolver.parseUrl(text(json, "url", file), file.toString()),
                    text(json, "user", file),
                    text(json, "token", file),
                    text(json, "tokenId", file),
                    text(json, "expiresAt", file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this login to {@code directory}, replacing any other. */
    public void write(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ObjectNode json = MAPPER.createObjectNode()
                    .put("url", url.toString())
                    .put("user", user)
                    .put("token", token)
                    .put("tokenId", tokenId)
                    .put("expiresAt", expiresAt);
            Path temporary = directory.resolve(FILE + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
            move(temporary, directory.resolve(FILE));
        } catch (FileAlreadyExistsException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot save the login: " + e.getFile() + " exists", e);
        } catch (IOException e) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED, "cannot save the login in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Where the CA trusted for the saved login's server is kept. */
    public static Path caFile(Path directory) {
        return directory.resolve(CA_FILE);
    }

    /**
     * Keeps a copy of the PEM {@code trusted} (the file the login trusted) with the login, mode 0600, so that later
     * commands trust the same certificates for its server; with null, removes any copy: the JDK's trust store is used.
     */
    public static void keepCa(Path directory, @Nullable Path trusted) {
        Path target = caFile(directory);
        try {
            if (trusted == null) {
                Files.deleteIfExists(target);
                return;
            }
            byte[] pem;
            try (var in = Files.newInputStream(trusted)) {
                pem = in.readNBytes(MAX_FILE_BYTES * 64 + 1);
            }
            if (pem.length > MAX_FILE_BYTES * 64) {
                throw new CliException(CliErrorCode.NOT_CONFIGURED, trusted + " is too large to be a CA file");
            }
            Path temporary = directory.resolve(CA_FILE + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, pem);
            move(temporary, target);
        } catch (IOException e) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED, "cannot keep the server's CA in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the saved login in {@code directory}, and its CA; false if there was no login. */
    public static boolean delete(Path directory) {
        try {
            Files.deleteIfExists(caFile(directory));
            return Files.deleteIfExists(directory.resolve(FILE));
        } catch (IOException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot delete " + directory.resolve(FILE), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String text(JsonNode json, String field, Path file) {
        JsonNode value = json.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED, file + " has no " + field + ": run 'vireo login' again");
        }
        return value.asText();
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "SavedLogin[url=" + url + ", user=" + user + ", token=***, expiresAt=" + expiresAt + "]";
    }
}
