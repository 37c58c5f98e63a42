package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.model.HostReservation;
import io.vireo.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code vireo agent --reserved-vcpus/--reserved-memory-mib/--reserved-disk-gib}: what the agent reports keeping. */
class AgentReservationOptionsTest {
    private static AgentCommand parse(String... extra) {
        AgentCommand command = new AgentCommand();
        String[] required = {"--server", "127.0.0.1:9090", "--name", "h1", "--state-dir", "/tmp/x", "--token-file", "t"
        };
        String[] all = new String[required.length + extra.length];
        System.arraycopy(required, 0, all, 0, required.length);
        System.arraycopy(extra, 0, all, required.length, extra.length);
        new CommandLine(command).parseArgs(all);
        return command;
    }

    @Test
    void noOptionReportsNothing() {
        assertThat(parse().config().reservation()).isEqualTo(HostReservation.NONE);
    }

    @Test
    void eachOptionSetsItsClass() {
        assertThat(parse("--reserved-vcpus", "2", "--reserved-memory-mib", "4096", "--reserved-disk-gib", "0")
                        .config()
                        .reservation())
                .isEqualTo(new HostReservation(2, 4096L, 0L));
        assertThat(parse("--reserved-memory-mib", "1024").config().reservation())
                .isEqualTo(new HostReservation(null, 1024L, null));
    }

    @ParameterizedTest
    @CsvSource({"--reserved-vcpus, -1", "--reserved-memory-mib, -512", "--reserved-disk-gib, -1"})
    void aNegativeValueFailsNamingItsOption(String option, String value) {
        assertThatThrownBy(() -> parse(option, value).config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(option + " must not be negative, got " + value);
    }

    @Test
    void aValueNotBelowTheHostsTotalFailsNamingItsOption() {
        var config = parse("--reserved-memory-mib", "16384").config();

        config.requireReservationWithin(new Resources(8, 16_385, 100));
        assertThatThrownBy(() -> config.requireReservationWithin(new Resources(8, 16_384, 100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--reserved-memory-mib must be zero or below the host's 16384 MiB of memory, got 16384");
    }
}
