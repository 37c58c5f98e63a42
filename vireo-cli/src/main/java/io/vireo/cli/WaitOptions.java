package io.vireo.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout}, shared by every command that changes a VM. */
final class WaitOptions {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    @Option(
            names = "--wait",
            description = "Wait until the VM has settled in the state asked for (or ERROR); exit 1 if it does not.")
    boolean enabled;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long --wait waits, e.g. 90s, 10m (default: 5m).")
    Duration timeout = DEFAULT_TIMEOUT;
}
