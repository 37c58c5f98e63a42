package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code vireo server} process from the product jar, as the {@code vireo} launcher runs it (serial GC, 512 KiB
 * thread stacks, native access for Netty) with an explicit {@code -Xmx}, on the embedded PostgreSQL of its data
 * directory (durable commits, as in production), with no per-token API rate limit. Its output goes to a log file.
 *
 * <p>Also reads what it costs: the JVM's resident memory and CPU, and the CPU of its PostgreSQL (the postmaster of
 * {@code DATA_DIR/postgres/postmaster.pid} and every process under it).
 */
final class ServerProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;

    private ServerProcess(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
    }

    /** The command line of a server on {@code dataDir}: the launcher's JVM options and {@code extraJvmOptions}. */
    static List<String> command(
            Path java, Path jar, Path dataDir, int apiPort, int agentPort, int heapMib, List<String> extraJvmOptions) {
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC",
                "-Xss512k",
                "-Xmx" + heapMib + "m"));
        command.addAll(extraJvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "server",
                "--data-dir",
                dataDir.toString(),
                "--api-port",
                Integer.toString(apiPort),
                "--agent-port",
                Integer.toString(agentPort),
                "--api-rate-limit",
                "0"));
        return command;
    }

    static ServerProcess start(List<String> command, Path dataDir, Path log) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ServerProcess(process, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server: " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** How a stop went: how long it took, and whether the process had to be killed after the grace period. */
    record Stopped(Duration took, boolean killed) {}

    /** Stops it as an operator would (SIGTERM: it closes its streams and its PostgreSQL), killing it after a grace. */
    Stopped stop() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        boolean killed = false;
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            killed = true;
        }
        return new Stopped(Duration.ofNanos(System.nanoTime() - start), killed);
    }

    /** The JVM's own figures now. */
    Optional<ProcFiles.Sample> jvm() {
        return ProcFiles.read(process.pid());
    }

    /** The CPU ticks of PostgreSQL so far: the postmaster and its processes, those ended included. */
    long postgresTicks() {
        Optional<Long> postmaster = postmasterPid();
        if (postmaster.isEmpty()) {
            return 0;
        }
        long ticks = ProcFiles.read(postmaster.get())
                .map(ProcFiles.Sample::withChildrenTicks)
                .orElse(0L);
        ticks += ProcessHandle.of(postmaster.get())
                .map(handle -> handle.descendants()
                        .mapToLong(child -> ProcFiles.read(child.pid())
                                .map(ProcFiles.Sample::withChildrenTicks)
                                .orElse(0L))
                        .sum())
                .orElse(0L);
        return ticks;
    }

    private Optional<Long> postmasterPid() {
        Path file = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            String first =
                    Files.readAllLines(file, StandardCharsets.UTF_8).getFirst().trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public String toString() {
        return "vireo server (pid " + process.pid() + ", data in " + requireNonNull(dataDir) + ")";
    }
}
