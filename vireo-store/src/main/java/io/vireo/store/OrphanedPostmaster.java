package io.vireo.store;

import io.vireo.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for a server on a data directory whose previous owner died without stopping its server (kill -9,
 * power loss of the JVM only): PostgreSQL outlives its owner, because {@code pg_ctl} detaches it.
 *
 * <p>Reads {@code postmaster.pid}. If it names a live PostgreSQL process on this directory, stops it: SIGTERM (a smart
 * shutdown, which finishes at once because the owner's connections died with it), then after the timeout SIGKILL to
 * it and its children. If it names a dead process, a zombie, or a process that is not PostgreSQL on this directory
 * (the pid was reused), removes the stale file. Callers must hold the directory's owner lock: whatever runs on the
 * directory then belongs to a dead owner.
 */
final class OrphanedPostmaster {
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    static final String PID_FILE = "postmaster.pid";

    private OrphanedPostmaster() {}

    static void stopIfRunning(Path dataDirectory, Duration timeout) throws IOException {
        stopIfRunning(dataDirectory, timeout, false);
    }

    /**
     * As {@link #stopIfRunning(Path, Duration)}; {@code afterOwnStop} says the caller has just asked its own server to
     * stop, so one still running is a slow shutdown to finish, not an orphan to warn about.
     */
    static void stopIfRunning(Path dataDirectory, Duration timeout, boolean afterOwnStop) throws IOException {
        Path pidFile = dataDirectory.resolve(PID_FILE);
        OptionalLong pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid.getAsLong()).filter(OrphanedPostmaster::alive);
        Identity identity =
                postmaster.map(process -> identify(process, dataDirectory)).orElse(Identity.OTHER);
        if (identity == Identity.UNKNOWN) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE,
                    "process " + pid.getAsLong() + " named in " + pidFile + " may be PostgreSQL on this directory;"
                            + " stop it, or remove the file if it is not");
        }
        if (postmaster.isEmpty() || identity == Identity.OTHER) {
            log.info(
                    "removing stale {} naming process {}, which is not PostgreSQL on this directory",
                    pidFile,
                    pid.getAsLong());
            Files.deleteIfExists(pidFile);
            return;
        }
        if (afterOwnStop) {
            log.info("PostgreSQL (pid {}) is still stopping on {}; waiting for it", pid.getAsLong(), dataDirectory);
        } else {
            log.warn(
                    "PostgreSQL (pid {}) is still running on {} without an owner; stopping it",
                    pid.getAsLong(),
                    dataDirectory);
        }
        stop(postmaster.get(), timeout);
    }

    /** The first line of the pid file, or empty if there is no file or it is not a pid (a torn write). */
    private static OptionalLong readPid(Path pidFile) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            log.warn("removing unreadable {}", pidFile);
            Files.deleteIfExists(pidFile);
            return OptionalLong.empty();
        }
    }

    private static void stop(ProcessHandle postmaster, Duration timeout) {
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroy();
        if (awaitExit(postmaster, timeout)) {
            return;
        }
        log.warn("PostgreSQL (pid {}) did not stop within {}; killing it", postmaster.pid(), timeout);
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        boolean stopped = awaitExit(postmaster, timeout);
        for (ProcessHandle child : children) {
            stopped &= awaitExit(child, timeout);
        }
        if (!stopped) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE, "cannot stop PostgreSQL (pid " + postmaster.pid() + ") left running");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !alive(process); // a zombie never "exits" until reaped, but is gone for our purpose
        } catch (ExecutionException e) {
            return !alive(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Alive and not a zombie (a process that has exited but whose parent has not reaped it yet). */
    private static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive(); // no /proc: trust the JDK
        }
    }

    /** What a process named in the pid file is. */
    private enum Identity {
        /** PostgreSQL on this data directory. */
        OURS,
        OTHER,
        /** No way to tell: neither stop it nor remove its lock file. */
        UNKNOWN
    }

    /**
     * PostgreSQL makes the data directory its working directory, so that identifies it. Without /proc, falls back to
     * the executable's name.
     */
    private static Identity identify(ProcessHandle process, Path dataDirectory) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            return cwd.equals(dataDirectory.toRealPath()) ? Identity.OURS : Identity.OTHER;
        } catch (IOException | UnsupportedOperationException e) {
            return process.info()
                    .command()
                    .map(command -> Path.of(command).getFileName().toString().equals("postgres")
                            ? Identity.UNKNOWN
                            : Identity.OTHER)
                    .orElse(Identity.UNKNOWN);
        }
    }
}
