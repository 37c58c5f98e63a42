package io.vireo.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One real {@code java -jar vireo.jar ...} process, its output in a log file under {@code target/it-logs}. */
final class VireoProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("vireo.jar", "target/vireo.jar"));
    private static final Path LOGS = Path.of("target", "it-logs");

    private final String name;
    private final Process process;

    private VireoProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static VireoProcess start(String name, List<String> arguments) {
        try {
            Files.createDirectories(LOGS);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Xmx512m",
                    "-jar",
                    JAR.toAbsolutePath().toString()));
            command.addAll(arguments);
            Path log = LOGS.resolve(name + ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new VireoProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL, as a crash: no shutdown hook runs. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits at most {@code timeout} for the process to end; whether it has. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** SIGTERM, as Ctrl-C would: shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
