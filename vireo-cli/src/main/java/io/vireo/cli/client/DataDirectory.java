package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The directory a local {@code vireo up} keeps its state in, and the two files through which it tells the client
 * where it listens ({@value #API_URL_FILE}, e.g. {@code http://127.0.0.1:8080}) and how to authenticate
 * ({@value #ADMIN_TOKEN_FILE}). The server writes these files and the client reads them: both sides use the constants
 * here so that they cannot disagree.
 *
 * <p>Resolution order: the {@code --data-dir} option, then {@value #ENVIRONMENT_VARIABLE}, then
 * {@code ~/}{@value #DEFAULT_DIRECTORY_NAME}.
 */
public record DataDirectory(Path path) {
    public static final String ENVIRONMENT_VARIABLE = "VIREO_DATA_DIR";
    public static final String DEFAULT_DIRECTORY_NAME = ".vireo";
    public static final String API_URL_FILE = "api-url";
    public static final String ADMIN_TOKEN_FILE = "admin-token";
    /** The certificate (PEM) the API's certificate chains to, when the server can name one (ADR 20). */
    public static final String API_CA_FILE = "api-ca.pem";
    /** Both files hold one short line; anything larger is not what the server wrote. */
    public static final int MAX_FILE_BYTES = 4096;

    public DataDirectory {
        requireNonNull(path, "path is null");
    }

    public static DataDirectory resolve(@Nullable Path option, Map<String, String> environment, Path userHome) {
        requireNonNull(environment, "environment is null");
        requireNonNull(userHome, "userHome is null");
        if (option != null) {
            return new DataDirectory(option);
        }
        String variable = environment.get(ENVIRONMENT_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return new DataDirectory(Path.of(variable.strip()));
        }
        return new DataDirectory(userHome.resolve(DEFAULT_DIRECTORY_NAME));
    }

    public Path apiUrlFile() {
        return path.resolve(API_URL_FILE);
    }

    public Path adminTokenFile() {
        return path.resolve(ADMIN_TOKEN_FILE);
    }

    public Path apiCaFile() {
        return path.resolve(API_CA_FILE);
    }

    /** The URL a local server wrote, or empty when the file does not exist or is blank. */
    public Optional<String> apiUrl() {
        return readLine(apiUrlFile());
    }

    /** The admin token a local server wrote, or empty when the file does not exist or is blank. */
    public Optional<String> adminToken() {
        return readLine(adminTokenFile());
    }

    private static Optional<String> readLine(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot read " + file + ": " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
