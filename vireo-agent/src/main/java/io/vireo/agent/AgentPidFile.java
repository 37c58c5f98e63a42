package io.vireo.agent;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code STATE_DIR/agent.pid}: the process id of the agent running as its own process ({@code vireo agent}) and the
 * instant that process started, so that the host's fence guard can end the agent before it ends the VMs (ADR 22) and
 * never ends another process that got the same id later: it ends the process only if it still started at that
 * instant. An agent running inside another process ({@code vireo up}) writes none. Thread-safe (stateless).
 */
public final class AgentPidFile {
    public static final String FILE = "agent.pid";

    private AgentPidFile() {}

    /** Records the current process as the agent of {@code stateDir} (replacing a stale file atomically). */
    public static void writeCurrent(Path stateDir) {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(Instant.EPOCH);
        Path file = stateDir.resolve(FILE);
        Path temporary = stateDir.resolve(FILE + ".new");
        try {
            Files.createDirectories(stateDir);
            Files.writeString(temporary, self.pid() + " " + started.toEpochMilli() + "\n", US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes the file if it names the current process (at a clean exit). */
    public static void removeCurrent(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        running(stateDir)
                .filter(handle -> handle.pid() == ProcessHandle.current().pid())
                .ifPresent(handle -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot remove " + file, e);
                    }
                });
    }

    /** The agent process the file names, if it still runs (same id, same start instant). */
    public static Optional<ProcessHandle> running(Path stateDir) {
        String text;
        try {
            text = Files.readString(stateDir.resolve(FILE), US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateDir.resolve(FILE), e);
        }
        String[] parts = text.split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        long pid;
        long startedMillis;
        try {
            pid = Long.parseLong(parts[0]);
            startedMillis = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info()
                        .startInstant()
                        .map(Instant::toEpochMilli)
                        .map(started -> started == startedMillis)
                        .orElse(false));
    }
}
