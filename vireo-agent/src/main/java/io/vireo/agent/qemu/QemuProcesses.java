package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.agent.hypervisor.HypervisorException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts daemonised QEMU processes and follows them by process id through {@code /proc}. A daemonised QEMU is not a
 * child of the agent (it is re-parented to init, and survives the agent), so {@link Process} and
 * {@link ProcessHandle#onExit()} do not apply: an exited QEMU may even linger as a zombie if init does not reap it.
 * A process counts as this VM's QEMU only if it is alive, not a zombie, and its command line carries the VM's UUID,
 * so a recycled process id is never mistaken for the VM. Thread-safe (stateless).
 */
final class QemuProcesses {
    /** How often {@link #awaitExit} looks at {@code /proc} once QEMU has closed its QMP socket. */
    static final Duration EXIT_POLL_INTERVAL = Duration.ofMillis(5);

    private static final Path PROC = Path.of("/proc");

    private QemuProcesses() {}

    /**
     * Runs {@code command}, a QEMU with {@code -daemonize -pidfile}, and waits until the launching process has exited,
     * which QEMU does once the daemon is initialised (its QMP socket is listening).
     *
     * @return the daemon's process id, from the pid file
     * @throws HypervisorException with QEMU's own error message if it failed to start
     */
    static long launch(List<String> command, VmPaths paths, Duration timeout) {
        try {
            Process launcher = new ProcessBuilder(command)
                    .directory(paths.directory().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(paths.launchLog().toFile())
                    .start();
            if (!launcher.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                launcher.destroyForcibly();
                throw new HypervisorException("QEMU did not finish starting within " + timeout);
            }
            if (launcher.exitValue() != 0) {
                throw new HypervisorException("QEMU failed to start (exit " + launcher.exitValue() + "): "
                        + ExternalCommand.tail(paths.launchLog()).strip());
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot start QEMU: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while starting QEMU", e);
        }
        return readPid(paths.pidFile())
                .orElseThrow(() -> new HypervisorException("QEMU started but wrote no pid file " + paths.pidFile()));
    }

    /** The process id in {@code pidFile}, or empty if the file is absent or does not hold a number. */
    static OptionalLong readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, UTF_8).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new HypervisorException("cannot read " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /** True if process {@code pid} runs (is not a zombie) and is the QEMU of VM {@code vmId}. */
    static boolean isRunning(long pid, UUID vmId) {
        return isAliveNotZombie(pid) && commandLineMentions(pid, vmId.toString());
    }

    /** Sends SIGKILL to {@code pid} if it is still the QEMU of {@code vmId}. */
    static void kill(long pid, UUID vmId) {
        if (isRunning(pid, vmId)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Waits until QEMU process {@code pid} of {@code vmId} has exited, at most {@code timeout}. {@code closed} is the
     * QMP connection's end, which QEMU's exit causes: waiting on it costs nothing; after it, the process needs a few
     * milliseconds to disappear, which are polled.
     *
     * @return true if the process is gone
     */
    static boolean awaitExit(long pid, UUID vmId, CompletableFuture<Void> closed, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return !isRunning(pid, vmId);
        } catch (ExecutionException e) {
            // The connection ended with an error: the process may be gone all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isRunning(pid, vmId);
        }
        while (isRunning(pid, vmId)) {
            if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(EXIT_POLL_INTERVAL.toNanos());
        }
        return true;
    }

    private static boolean isAliveNotZombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), UTF_8);
            // "pid (comm) S ...": the command name may contain spaces and parentheses, the state follows the last ')'.
            int end = stat.lastIndexOf(')');
            if (end < 0 || end + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(end + 2);
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean commandLineMentions(long pid, String text) {
        try {
            byte[] commandLine =
                    Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            for (String argument : new String(commandLine, UTF_8).split("\0")) {
                if (argument.equals(text)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
