package io.vireo.agent.support;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of small JSON files, one per VM, named {@code <uuid>.json}. A write goes to a temporary file in the same
 * directory and is then moved over the old file atomically, so a reader (or an agent restarted after a crash) sees
 * either the old or the new content, never a torn file. No fsync: the files must survive the agent process, not the
 * host, whose VMs die with it anyway.
 *
 * <p>Thread-safe for different VMs; callers must not write the same VM's file from two threads at once.
 *
 * @param <T> the record stored in each file
 */
public final class JsonStateFiles<T> {
    private static final Logger log = LoggerFactory.getLogger(JsonStateFiles.class);
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    /** Shared by every instance: configured once here and never changed, so it is thread-safe and cheap to share. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path directory;
    private final Class<T> type;

    public JsonStateFiles(Path directory, Class<T> type) {
        this.directory = requireNonNull(directory, "directory is null");
        this.type = requireNonNull(type, "type is null");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Replaces the file of {@code vmId} with {@code value}, atomically. */
    public void write(UUID vmId, T value) {
        Path target = file(vmId);
        Path temporary = directory.resolve(vmId + SUFFIX + TEMPORARY_SUFFIX);
        try {
            MAPPER.writeValue(temporary.toFile(), value);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public void delete(UUID vmId) {
        try {
            Files.deleteIfExists(file(vmId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(vmId), e);
        }
    }

    /**
     * Reads every file of the directory. Leftover temporary files (a crash between write and move) are removed;
     * unreadable files are logged and skipped, never fatal: the agent must start even if one file is damaged.
     */
    public List<T> readAll() {
        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                listed.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        // In name order, not the file system's: the same files give the same order on every machine.
        listed.sort(null);
        List<T> values = new ArrayList<>();
        try {
            for (Path file : listed) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMPORARY_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    read(file, values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return values;
    }

    private void read(Path file, List<T> values) {
        try {
            values.add(MAPPER.readValue(file.toFile(), type));
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable state file {}: {}", file, e.toString());
        }
    }

    private Path file(UUID vmId) {
        return directory.resolve(vmId + SUFFIX);
    }
}
