package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --az} and {@code --trait} of {@code vireo agent}, as the capabilities the agent registers with. */
class HostLabelsTest {
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
    void zoneAndTraitsBecomeCapabilities() {
        AgentCommand command =
                parse("--az", "zone-a", "--trait", "cpu.avx2", "--trait", "storage.ssd", "--trait", "cpu.avx2");

        assertThat(command.config().extraCapabilities())
                .containsExactly("az:zone-a", "trait:cpu.avx2", "trait:storage.ssd");
    }

    @Test
    void noLabelsNoExtraCapabilities() {
        assertThat(parse().config().extraCapabilities()).isEmpty();
    }

    @Test
    void aBadNameIsRefused() {
        assertThatThrownBy(() -> parse("--trait", "a;b").config())
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("--trait");
        assertThatThrownBy(() -> parse("--az", "").config())
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("--az");
    }
}
