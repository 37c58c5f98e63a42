package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.controller.port.ClaimRepository.ClaimOutcome;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Overcommit in the store: a claim may use up to the host's effective capacity, {@code floor((total - reserved) *
 * ratio)} per class, and no more; the host's policy comes from the server's defaults at registration or from an
 * operator, whose choice registrations keep.
 */
interface CapacityPolicyContract extends StoreContract {
    /** 4 vCPUs per core, 1 GiB of memory reserved: {@link #HOST_CAPACITY} gives 32 vCPUs, 15,360 MiB, 200 GiB. */
    CapacityPolicy FOUR_TIMES = new CapacityPolicy(new Resources(0, 1024, 0), 4.0, 1.0, 1.0);

    default Host registerWith(String name, Resources capacity, CapacityPolicy defaults) {
        return store().hosts().register(new HostRegistration(name, capacity, List.of(), "fake"), defaults, at(1));
    }

    private ClaimOutcome claim(Host host, Resources resources) {
        Vm vm = createVm("vm-" + UUID.randomUUID().toString().substring(0, 8));
        return store().claims().claim(vm.id(), host.id(), reload(host).resourceGeneration(), resources, at(2));
    }

    @Test
    default void aNewHostTakesTheDefaultPolicy() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);

        assertThat(host.capacityPolicy()).isEqualTo(FOUR_TIMES);
        assertThat(host.capacityPolicyOverridden()).isFalse();
        assertThat(host.capacity()).isEqualTo(HOST_CAPACITY);
        assertThat(host.effectiveCapacity()).isEqualTo(new Resources(32, 15_360, 200));
        assertThat(reload(host)).isEqualTo(host);
    }

    @Test
    default void aClaimMayUseCapacityTimesRatioAndNoMore() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);

        assertThat(claim(host, new Resources(30, 15_000, 100))).isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(claim(host, new Resources(3, 1, 1))).as("33 > 32 vCPUs").isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(claim(host, new Resources(1, 361, 1)))
                .as("15,361 MiB > 16,384 - 1,024")
                .isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(claim(host, new Resources(1, 1, 101))).as("201 > 200 GiB").isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(reload(host).allocated()).isEqualTo(new Resources(30, 15_000, 100));
        assertThat(claim(host, new Resources(2, 360, 100))).as("exactly full").isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(reload(host).allocated()).isEqualTo(new Resources(32, 15_360, 200));
        assertThat(reload(host).free()).isEqualTo(Resources.ZERO);
        assertThat(claim(host, new Resources(0, 0, 0))).as("nothing still fits").isEqualTo(ClaimOutcome.CLAIMED);
    }

    @Test
    default void anOperatorsPolicyIsSetKeptAndNeverBelowTheAllocation() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        assertThat(claim(host, new Resources(20, 8_000, 50))).isEqualTo(ClaimOutcome.CLAIMED);
        long generation = reload(host).resourceGeneration();
        CapacityPolicy doubled = new CapacityPolicy(new Resources(1, 0, 10), 3.0, 1.5, 1.0);

        Host changed = store().hosts().setCapacityPolicy(host.id(), doubled);

        assertThat(changed.capacityPolicy()).isEqualTo(doubled);
        assertThat(changed.capacityPolicyOverridden()).isTrue();
        assertThat(changed.effectiveCapacity()).isEqualTo(new Resources(21, 24_576, 190));
        assertThat(changed.resourceGeneration()).as("schedulers re-plan").isEqualTo(generation + 1);
        assertThat(reload(host)).isEqualTo(changed);

        CapacityPolicy tooSmall = new CapacityPolicy(Resources.ZERO, 2.0, 1.0, 1.0); // 16 vCPUs < 20 allocated
        assertError(ErrorCode.CONFLICT, () -> store().hosts().setCapacityPolicy(host.id(), tooSmall));
        assertThat(reload(host)).as("nothing changed").isEqualTo(changed);
        assertError(ErrorCode.NOT_FOUND, () -> store().hosts().setCapacityPolicy(UUID.randomUUID(), doubled));

        Host reregistered = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        assertThat(reregistered.capacityPolicy())
                .as("an operator's policy outlives registrations")
                .isEqualTo(doubled);
        assertThat(reregistered.capacityPolicyOverridden()).isTrue();
    }

    @Test
    default void aReRegistrationTakesNewDefaultsOnlyIfTheAllocationFitsThem() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        assertThat(claim(host, new Resources(12, 1_000, 10))).isEqualTo(ClaimOutcome.CLAIMED);

        CapacityPolicy twice = new CapacityPolicy(Resources.ZERO, 2.0, 1.0, 1.0);
        assertThat(registerWith("h1", HOST_CAPACITY, twice).capacityPolicy()).isEqualTo(twice);

        Host kept = registerWith("h1", HOST_CAPACITY, CapacityPolicy.NONE); // 8 vCPUs < 12 allocated
        assertThat(kept.capacityPolicy())
                .as("the defaults would not hold the allocation")
                .isEqualTo(twice);
        assertThat(kept.capacityPolicyOverridden()).isFalse();

        assertError(
                ErrorCode.CONFLICT,
                () -> registerWith("h1", new Resources(4, 16_384, 200), twice)); // 8 < 12 whatever the policy
        assertThat(reload(host).capacity()).isEqualTo(HOST_CAPACITY);
        assertThat(reload(host).capacityPolicy()).isEqualTo(twice);
    }
}
