package io.vireo.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs {@code vireo} in-process the way the launcher does, with captured output, chosen environment variables, a
 * home directory of the test's own, and a fake clock that the sleeper advances instead of sleeping.
 */
final class CliRunner {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    record Result(int exitCode, String out, String err) {}

    final FakeClock clock = new FakeClock(NOW);
    final List<Duration> sleeps = new ArrayList<>();
    /** After this many sleeps the next one is interrupted, as Ctrl-C would end {@code --follow}. */
    int sleepsBeforeInterrupt = Integer.MAX_VALUE;

    private final Map<String, String> variables = new HashMap<>();
    private final Path home;

    CliRunner(Path home) {
        this.home = home;
    }

    CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    Result run(String... args) {
        return run(List.of(), args);
    }

    Result run(List<CliExtension> extensions, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = CliEnvironment.of(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        variables)
                .withUserHome(home)
                .withIdempotencyKeys(UUID::randomUUID)
                .withTime(clock, duration -> {
                    if (sleeps.size() >= sleepsBeforeInterrupt) {
                        throw new InterruptedException("interrupted by the test");
                    }
                    sleeps.add(duration);
                    clock.advance(duration);
                });
        int exitCode = VireoCli.execute(args, environment, extensions);
        // A command ended by an interrupted sleep restores the flag; clear it so the next test starts clean.
        Thread.interrupted();
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
