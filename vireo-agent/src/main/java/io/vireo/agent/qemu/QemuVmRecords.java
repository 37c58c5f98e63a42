package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vireo.agent.hypervisor.HypervisorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes the {@code vm.json} of each VM directory. A write goes to a temporary file and is moved over the
 * old one atomically, so a reader, or an agent restarted after a crash, sees the old or the new record, never a torn
 * one. A VM directory without {@code vm.json} is a VM whose creation did not finish.
 *
 * <p>Thread-safe; writes of the same VM must be serialised by the caller.
 */
final class QemuVmRecords {
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path root;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @param stateDir the agent's state directory; the records live under {@code <stateDir>/qemu/} */
    QemuVmRecords(Path stateDir) {
        this.root = requireNonNull(stateDir, "stateDir is null").resolve(VmPaths.ROOT);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    /** The VMs that have a directory: a name that is a UUID. */
    List<UUID> vmIds() {
        List<UUID> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                parseUuid(entry.getFileName().toString()).ifPresent(ids::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return ids;
    }

    /** The record in {@code paths}, or empty if there is none (the VM is not defined). */
    Optional<QemuVmRecord> read(VmPaths paths) {
        Path file = paths.stateFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(file.toFile(), QemuVmRecord.class));
        } catch (IOException | RuntimeException e) {
            throw new HypervisorException("the driver's record of the VM is unreadable: " + e.getMessage(), e);
        }
    }

    void write(VmPaths paths, QemuVmRecord record) {
        Path file = paths.stateFile();
        Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
        try {
            mapper.writeValue(temporary.toFile(), record);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<UUID> parseUuid(String name) {
        try {
            UUID id = UUID.fromString(name);
            return id.toString().equals(name) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
