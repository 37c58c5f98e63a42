package io.vireo.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HostConversionTest {
    private static Host host(List<String> capabilities) {
        return host(capabilities, CapacityPolicy.NONE);
    }

    private static Host host(List<String> capabilities, CapacityPolicy policy) {
        return new Host(
                UUID.fromString("00000000-0000-4000-8000-000000000001"),
                "kvm-01",
                Instant.EPOCH,
                HostState.UP,
                new Resources(32, 131_072, 2_000),
                new Resources(8, 16_384, 100),
                12,
                capabilities,
                "qemu",
                null,
                HostUsage.NONE,
                policy,
                false);
    }

    @Test
    void capacityAllocatedAndCapabilities() {
        HostInventory inventory = HostConversion.inventory(host(
                List.of("trait:cpu.avx2", "az:az-1", "az:az-2", "aggregate:ssd", "kvm", "trait:", "trait:bad name")));

        assertThat(inventory.resource(ResourceClass.VCPU)).isEqualTo(new ResourceInventory(32, 0, 1.0, 8));
        assertThat(inventory.resource(ResourceClass.MEMORY_MIB).free()).isEqualTo(131_072 - 16_384);
        assertThat(inventory.resourceGeneration()).isEqualTo(12);
        assertThat(inventory.traits()).containsExactly("cpu.avx2");
        assertThat(inventory.availabilityZone()).isEqualTo("az-1");
        assertThat(inventory.aggregates()).containsExactly("ssd");
    }

    @Test
    void policyAppliesRatiosAndReservations() {
        var policy = new CapacityPolicy(new Resources(0, 4_096, 9_999), 4.0, 1.0, 1.0);

        Host host = host(List.of(), policy);
        HostInventory inventory = HostConversion.inventory(host);

        assertThat(inventory.resource(ResourceClass.VCPU).capacity()).isEqualTo(128);
        assertThat(inventory.resource(ResourceClass.MEMORY_MIB).capacity()).isEqualTo(131_072 - 4_096);
        assertThat(inventory.resource(ResourceClass.DISK_GIB).capacity()).isZero(); // reservation capped at total
        // the scheduler's capacity is the store's: the host's effective capacity
        assertThat(new Resources(
                        (int) inventory.resource(ResourceClass.VCPU).capacity(),
                        inventory.resource(ResourceClass.MEMORY_MIB).capacity(),
                        inventory.resource(ResourceClass.DISK_GIB).capacity()))
                .isEqualTo(host.effectiveCapacity());
    }
}
