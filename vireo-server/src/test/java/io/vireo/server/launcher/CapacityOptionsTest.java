package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The server's default capacity policy, from the options {@code vireo server} and {@code vireo up} share. */
class CapacityOptionsTest {
    private static ServerOptions parse(String... args) {
        ServerCommand command = new ServerCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs(args);
        return command.options;
    }

    @Test
    void theDefaultsAreOpenStacksInitialRatiosAndHalfAGibiByteForTheHost() {
        assertThat(parse().capacityDefaults()).isEqualTo(CapacityPolicy.DEFAULTS);
        assertThat(CapacityPolicy.DEFAULTS).isEqualTo(new CapacityPolicy(new Resources(0, 512, 0), 4.0, 1.0, 1.0));
        assertThat(parse().config(java.util.Map.of(), null, null, null)
                        .controller()
                        .capacityDefaults())
                .isEqualTo(CapacityPolicy.DEFAULTS);
    }

    @Test
    void everyOptionSetsItsPart() {
        CapacityPolicy policy = parse(
                        "--cpu-allocation-ratio", "16",
                        "--ram-allocation-ratio", "1.5",
                        "--disk-allocation-ratio", "2.0",
                        "--reserved-host-vcpus", "2",
                        "--reserved-host-memory-mib", "4096",
                        "--reserved-host-disk-gib", "20")
                .capacityDefaults();

        assertThat(policy).isEqualTo(new CapacityPolicy(new Resources(2, 4096, 20), 16.0, 1.5, 2.0));
    }

    @ParameterizedTest
    @CsvSource({
        "--cpu-allocation-ratio, 0",
        "--cpu-allocation-ratio, -1",
        "--ram-allocation-ratio, NaN",
        "--disk-allocation-ratio, Infinity",
        "--disk-allocation-ratio, 1000.1",
        "--reserved-host-vcpus, -1",
        "--reserved-host-memory-mib, -512",
        "--reserved-host-disk-gib, -1"
    })
    void aBadValueFailsNamingItsOption(String option, String value) {
        ServerOptions options = parse(option, value);

        assertThatThrownBy(options::capacityDefaults)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(option + " must ");
    }
}
