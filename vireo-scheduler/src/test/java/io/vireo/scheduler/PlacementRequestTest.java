package io.vireo.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import io.vireo.model.Resources;
import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlacementRequestTest {
    private static final UUID VM = UUID.fromString("00000000-0000-4000-8000-00000000000a");

    @Test
    void theOriginalConstructorsStillWork() {
        var request = new PlacementRequest(VM, new Resources(2, 1_024, 10));

        assertThat(request.excludedHosts()).isEmpty();
        assertThat(request.serverGroup()).isEqualTo(ServerGroup.NONE);
        assertThat(request.traits().isEmpty()).isTrue();
        assertThat(new PlacementRequest(VM, Resources.ZERO, Set.of(VM)).excludedHosts())
                .containsExactly(VM);
    }

    @Test
    void demandJoinsStandardAndCustomClasses() {
        var request = PlacementRequest.builder(VM, new Resources(2, 1_024, 10))
                .customResource(ResourceClass.of("GPU"), 1)
                .build();

        assertThat(request.demand())
                .isEqualTo(Map.of(
                        ResourceClass.VCPU,
                        2L,
                        ResourceClass.MEMORY_MIB,
                        1_024L,
                        ResourceClass.DISK_GIB,
                        10L,
                        ResourceClass.of("GPU"),
                        1L));
    }

    @Test
    void invalidRequestsAreRefused() {
        var builder = PlacementRequest.builder(VM, Resources.ZERO);

        assertThatThrownBy(() -> builder.customResource(ResourceClass.VCPU, 1).build())
                .isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> PlacementRequest.builder(VM, Resources.ZERO)
                        .availabilityZone("no spaces")
                        .build())
                .isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> new LabelRequirement(Set.of("a"), Set.of("a"))).isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> ResourceClass.of("gpu")).isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> new ServerGroup(ServerGroupPolicy.ANTI_AFFINITY, 0, java.util.List.of()))
                .isInstanceOf(VireoException.class);
    }
}
