package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import io.vireo.controller.identity.IdentitySettings;
import io.vireo.model.QuotaResource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --default-quota}: a new project's limits. */
class DefaultQuotaOptionTest {
    private static Map<QuotaResource, Long> parse(String... args) {
        ServerCommand command = new ServerCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs(args);
        return command.options.config(Map.of(), null, null, null).defaultQuota();
    }

    @Test
    void withoutTheOptionNewProjectsGetTheDefaults() {
        assertThat(parse()).isEqualTo(IdentitySettings.DEFAULT_QUOTA);
    }

    @Test
    void theResourcesNamedChangeAndUnlimitedRemovesALimit() {
        Map<QuotaResource, Long> quota = parse("--default-quota", "instances=50, vcpus=unlimited,volumeGib=0");

        assertThat(quota)
                .containsEntry(QuotaResource.INSTANCES, 50L)
                .doesNotContainKey(QuotaResource.VCPUS)
                .containsEntry(QuotaResource.VOLUME_GIB, 0L)
                .containsEntry(QuotaResource.MEMORY_MIB, 51200L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"instances", "instances=", "cores=4", "instances=-1", "instances=4,", "vcpus=1e3"})
    void aBadValueIsRefusedNamingTheOption(String value) {
        assertThatThrownBy(() -> parse("--default-quota", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--default-quota");
    }
}
