package io.vireo.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.plugins.spread.SpreadScorer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileAndRegistryTest {
    @Test
    void everyNamedProfileBuildsFromTheInTreePlugins() {
        for (Profile profile : DefaultProfiles.all()) {
            var framework = SchedulingFramework.create(profile, InTreePlugins.registry(), SchedulerSettings.DEFAULT);
            assertThat(framework.profileName()).isEqualTo(profile.name());
        }
        assertThat(DefaultProfiles.all()).extracting(Profile::name).containsExactly("default", "spread", "pack");
    }

    @Test
    void registryRefusesDuplicatesAndMisnamedPlugins() {
        assertThatThrownBy(() -> InTreePlugins.registry().toBuilder().register(SpreadScorer.NAME, SpreadScorer::new))
                .isInstanceOf(IllegalArgumentException.class);
        var misnamed =
                PluginRegistry.builder().register("Other", SpreadScorer::new).build();
        assertThatThrownBy(() -> misnamed.create("Other")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void profilesAreValidated() {
        assertThatThrownBy(() -> new Profile("empty", List.of())).isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> new Profile("twice", List.of(PluginSpec.of("Spread"), PluginSpec.of("Spread"))))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> PluginSpec.of("Spread", 101)).isInstanceOf(VireoException.class);
    }

    @Test
    void statusesHoldTheirShape() {
        assertThat(Status.unschedulable("P", "why").isRejection()).isTrue();
        assertThat(Status.SKIP.isSkip()).isTrue();
        assertThatThrownBy(() -> Status.unschedulable("P", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Status(Status.Code.SUCCESS, "P", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
