package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.ClientSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Everything the commands take from the world outside the process arguments: the output streams, the environment
 * variables, the home directory (for {@code ~/.vireo}), time, waiting, the source of idempotency keys and the client's
 * limits. Passed in, never read from {@link System}, so that a test or the launcher controls all of it.
 *
 * @param pollInterval how long {@code --wait} waits between two looks at a VM
 */
public record CliEnvironment(
        PrintStream out,
        PrintStream err,
        Map<String, String> variables,
        Path userHome,
        Clock clock,
        Sleeper sleeper,
        Supplier<UUID> idempotencyKeys,
        ClientSettings clientSettings,
        Duration pollInterval) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    public CliEnvironment {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
        requireNonNull(userHome, "userHome is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(sleeper, "sleeper is null");
        requireNonNull(idempotencyKeys, "idempotencyKeys is null");
        requireNonNull(clientSettings, "clientSettings is null");
        requireNonNull(pollInterval, "pollInterval is null");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
    }

    /**
     * The given streams and variables with the real home directory ({@code user.home}), the system clock, real
     * sleeping, random UUIDs and the default limits.
     */
    public static CliEnvironment of(PrintStream out, PrintStream err, Map<String, String> variables) {
        return new CliEnvironment(
                out,
                err,
                variables,
                Path.of(System.getProperty("user.home", ".")),
                Clock.systemUTC(),
                Sleeper.system(),
                UUID::randomUUID,
                ClientSettings.DEFAULTS,
                DEFAULT_POLL_INTERVAL);
    }

    /** {@link System#out}, {@link System#err} and {@link System#getenv()}. */
    public static CliEnvironment system() {
        return of(System.out, System.err, System.getenv());
    }

    public CliEnvironment withUserHome(Path home) {
        return new CliEnvironment(
                out, err, variables, home, clock, sleeper, idempotencyKeys, clientSettings, pollInterval);
    }

    /** The clock for ages and for {@code --wait} deadlines, and what sleeps between polls. */
    public CliEnvironment withTime(Clock newClock, Sleeper newSleeper) {
        return new CliEnvironment(
                out, err, variables, userHome, newClock, newSleeper, idempotencyKeys, clientSettings, pollInterval);
    }

    public CliEnvironment withIdempotencyKeys(Supplier<UUID> keys) {
        return new CliEnvironment(out, err, variables, userHome, clock, sleeper, keys, clientSettings, pollInterval);
    }

    public CliEnvironment withClientSettings(ClientSettings settings) {
        return new CliEnvironment(
                out, err, variables, userHome, clock, sleeper, idempotencyKeys, settings, pollInterval);
    }

    public CliEnvironment withPollInterval(Duration interval) {
        return new CliEnvironment(
                out, err, variables, userHome, clock, sleeper, idempotencyKeys, clientSettings, interval);
    }
}
