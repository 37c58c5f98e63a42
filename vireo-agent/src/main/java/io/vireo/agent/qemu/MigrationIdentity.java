package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this host's certificate, its private key and the CA certificate are (PEM files the agent keeps, ADR 15): what
 * QEMU authenticates the migration and disk-copy streams with (ADR 20). The files are read at each migration, so a
 * renewed certificate is used from the next one on.
 */
public record MigrationIdentity(Path keyFile, Path certificateFile, Path authorityFile) {
    public MigrationIdentity {
        requireNonNull(keyFile, "keyFile is null");
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(authorityFile, "authorityFile is null");
    }

    /** Whether the host has enrolled: all three files exist. */
    boolean present() {
        return Files.isRegularFile(keyFile)
                && Files.isRegularFile(certificateFile)
                && Files.isRegularFile(authorityFile);
    }
}
