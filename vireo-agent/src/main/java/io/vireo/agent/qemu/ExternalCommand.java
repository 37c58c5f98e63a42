package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a short-lived program ({@code qemu-img}, a probe QEMU) as a child process: no shell, standard input from a file
 * or {@code /dev/null}, standard output and error into a temporary file (so that a chatty program can never block on a
 * full pipe), a hard timeout after which the program is killed. Thread-safe (stateless).
 */
final class ExternalCommand {
    /** How much of a program's output is kept: the last bytes, where the error message is. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    /** How the program ended and what it printed (at most {@link #MAX_OUTPUT_BYTES}, the end of it). */
    record Result(int exitCode, String output) {
        Result {
            requireNonNull(output, "output is null");
        }
    }

    private ExternalCommand() {}

    /**
     * Runs {@code command} in {@code workDir}.
     *
     * @param input standard input, or null for {@code /dev/null}
     * @throws HypervisorException if the program cannot be started or does not end within {@code timeout}
     */
    static Result run(List<String> command, Path workDir, Duration timeout, @Nullable Path input) {
        Path output = null;
        try {
            output = Files.createTempFile(workDir, ".command-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(
                            input == null
                                    ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                                    : ProcessBuilder.Redirect.from(input.toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new HypervisorException(command.getFirst() + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), tail(output));
        } catch (IOException e) {
            throw new HypervisorException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while running " + command.getFirst(), e);
        } finally {
            deleteQuietly(output);
        }
    }

    /** The last {@link #MAX_OUTPUT_BYTES} of {@code file}, as text. */
    static String tail(Path file) throws IOException {
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            int count = (int) Math.min(length, MAX_OUTPUT_BYTES);
            byte[] bytes = new byte[count];
            reader.seek(length - count);
            reader.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the VM directory is removed with the VM.
        }
    }
}
