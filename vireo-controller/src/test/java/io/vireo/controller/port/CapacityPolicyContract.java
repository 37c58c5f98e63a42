package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Overcommit in the store: a claim may use up to the host's effective capacity, {@code floor((total - reserved) *
 * ratio)} per class, and no more; the host's policy comes from the server's defaults at registration or from an
 * operator, whose choice registrations keep; an agent's reported reservation replaces the defaults' (ADR 10).
 */
interface CapacityPolicyContract extends StoreContract {
    /** 4 vCPUs per core, 1 GiB of memory reserved: {@link #HOST_CAPACITY} gives 32 vCPUs, 15,360 MiB, 200 GiB. */
    CapacityPolicy FOUR_TIMES = new CapacityPolicy(new Resources(0, 1024, 0), 4.0, 1.0, 1.0);

    default Host registerWith(String name, Resources capacity, CapacityPolicy defaults) {
        return store().hosts().register(new HostRegistration(name, capacity, List.of(), "fake"), defaults, at(1));
    }

    default Host registerReserving(String name, CapacityPolicy defaults, HostReservation reservation) {
        return store().hosts()
                .register(new HostRegistration(name, HOST_CAPACITY, List.of(), "fake", reservation), defaults, at(1));
    }

    private ClaimResult claim(Host host, Resources resources) {
        Vm vm = createVm("vm-" + UUID.randomUUID().toString().substring(0, 8));
        return claimPlacement(vm.id(), host.id(), reload(host).resourceGeneration(), resources, at(2));
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

        assertThat(claim(host, new Resources(30, 15_000, 100))).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(host, new Resources(3, 1, 1))).as("33 > 32 vCPUs").isInstanceOf(ClaimResult.HostChanged.class);
        assertThat(claim(host, new Resources(1, 361, 1)))
                .as("15,361 MiB > 16,384 - 1,024")
                .isInstanceOf(ClaimResult.HostChanged.class);
        assertThat(claim(host, new Resources(1, 1, 101)))
                .as("201 > 200 GiB")
                .isInstanceOf(ClaimResult.HostChanged.class);
        assertThat(reload(host).allocated()).isEqualTo(new Resources(30, 15_000, 100));
        assertThat(claim(host, new Resources(2, 360, 100))).as("exactly full").isInstanceOf(ClaimResult.Claimed.class);
        assertThat(reload(host).allocated()).isEqualTo(new Resources(32, 15_360, 200));
        assertThat(reload(host).free()).isEqualTo(Resources.ZERO);
        assertThat(claim(host, new Resources(0, 0, 0)))
                .as("nothing still fits")
                .isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void anOperatorsPolicyIsSetKeptAndNeverBelowTheAllocation() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        assertThat(claim(host, new Resources(20, 8_000, 50))).isInstanceOf(ClaimResult.Claimed.class);
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
        assertThat(claim(host, new Resources(12, 1_000, 10))).isInstanceOf(ClaimResult.Claimed.class);

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

    @Test
    default void anAgentsReservationTakesPrecedenceOverTheDefaultsButNotOverAnOperatorsPolicy() {
        HostReservation fourGib = new HostReservation(null, 4096L, null);
        Host host = registerReserving("h1", FOUR_TIMES, fourGib);

        assertThat(host.capacityPolicy()).isEqualTo(new CapacityPolicy(new Resources(0, 4096, 0), 4.0, 1.0, 1.0));
        assertThat(host.capacityPolicyOverridden()).isFalse();
        assertThat(host.agentReservation()).isEqualTo(fourGib);
        assertThat(host.effectiveCapacity()).isEqualTo(new Resources(32, 12_288, 200));
        assertThat(reload(host)).isEqualTo(host);

        CapacityPolicy operators = new CapacityPolicy(new Resources(1, 0, 10), 3.0, 1.5, 1.0);
        store().hosts().setCapacityPolicy(host.id(), operators);
        HostReservation other = new HostReservation(2, 8192L, null);
        Host reregistered = registerReserving("h1", FOUR_TIMES, other);
        assertThat(reregistered.capacityPolicy())
                .as("the operator's policy wins")
                .isEqualTo(operators);
        assertThat(reregistered.agentReservation()).as("recorded all the same").isEqualTo(other);

        Host reset = store().hosts().resetCapacityPolicy(host.id(), FOUR_TIMES);
        assertThat(reset.capacityPolicy())
                .as("the defaults, with the agent's reservation in place of theirs")
                .isEqualTo(new CapacityPolicy(new Resources(2, 8192, 0), 4.0, 1.0, 1.0));
        assertThat(reset.capacityPolicyOverridden()).isFalse();
        assertThat(reset.resourceGeneration()).isEqualTo(reregistered.resourceGeneration() + 1);
        assertThat(reload(host)).isEqualTo(reset);

        Host unreported = registerReserving("h1", FOUR_TIMES, HostReservation.NONE);
        assertThat(unreported.capacityPolicy())
                .as("nothing reported: the defaults")
                .isEqualTo(FOUR_TIMES);
        assertThat(unreported.agentReservation()).isEqualTo(HostReservation.NONE);
    }

    @Test
    default void anAgentsReservationBelowTheAllocationIsRecordedAndLeavesNoRoom() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        assertThat(claim(host, new Resources(4, 12_000, 10))).isInstanceOf(ClaimResult.Claimed.class);
        HostReservation eightGib = new HostReservation(null, 8192L, null);

        Host reregistered = registerReserving("h1", FOUR_TIMES, eightGib);

        assertThat(reregistered.agentReservation()).isEqualTo(eightGib);
        assertThat(reregistered.capacityPolicy().reserved().memoryMib()).isEqualTo(8192);
        assertThat(reregistered.overAllocation()).contains("memoryMib 12000 > 8192");
        assertThat(reregistered.free()).isEqualTo(new Resources(28, 0, 190));
        assertThat(reload(host)).isEqualTo(reregistered);
        assertThat(claim(host, new Resources(1, 16, 1))).isInstanceOf(ClaimResult.HostChanged.class);
        assertThat(claim(host, new Resources(1, 0, 1)))
                .as("no claim at all while over")
                .isInstanceOf(ClaimResult.HostChanged.class);
        assertThat(reload(host).allocated()).isEqualTo(new Resources(4, 12_000, 10));

        Host dropped = registerReserving("h1", FOUR_TIMES, HostReservation.NONE);
        assertThat(dropped.capacityPolicy())
                .as("the defaults hold the allocation again")
                .isEqualTo(FOUR_TIMES);
        assertThat(dropped.overAllocation()).isEmpty();
        assertThat(claim(host, new Resources(1, 16, 1))).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void anAgentThatStopsReportingAReservationTheDefaultsCannotHoldKeepsItsLastOne() {
        HostReservation none = new HostReservation(null, 0L, null);
        Host host = registerReserving("h1", FOUR_TIMES, none);
        assertThat(claim(host, new Resources(1, 16_000, 1))).isInstanceOf(ClaimResult.Claimed.class);

        Host kept = registerReserving("h1", FOUR_TIMES, HostReservation.NONE); // the defaults give 15,360 MiB

        assertThat(kept.capacityPolicy().reserved().memoryMib()).isZero();
        assertThat(kept.agentReservation())
                .as("the policy it had, and where it came from")
                .isEqualTo(none);
        assertThat(kept.overAllocation()).isEmpty();
        assertThat(reload(host)).isEqualTo(kept);
    }

    @Test
    default void aResetToTheDefaultsIsRefusedBelowTheAllocationAndChangesNothing() {
        Host host = registerWith("h1", HOST_CAPACITY, FOUR_TIMES);
        store().hosts().setCapacityPolicy(host.id(), new CapacityPolicy(Resources.ZERO, 8.0, 1.0, 1.0));
        assertThat(claim(host, new Resources(40, 1_000, 10))).isInstanceOf(ClaimResult.Claimed.class);
        Host before = reload(host);

        assertError(ErrorCode.CONFLICT, () -> store().hosts().resetCapacityPolicy(host.id(), FOUR_TIMES)); // 40 > 32
        assertThat(reload(host)).as("nothing changed").isEqualTo(before);
        assertError(ErrorCode.NOT_FOUND, () -> store().hosts().resetCapacityPolicy(UUID.randomUUID(), FOUR_TIMES));

        CapacityPolicy generous = new CapacityPolicy(Resources.ZERO, 5.0, 1.0, 1.0);
        Host reset = store().hosts().resetCapacityPolicy(host.id(), generous);
        assertThat(reset.capacityPolicy()).isEqualTo(generous);
        assertThat(reset.capacityPolicyOverridden()).isFalse();
        assertThat(reset.resourceGeneration()).isEqualTo(before.resourceGeneration() + 1);
        assertThat(registerWith("h1", HOST_CAPACITY, FOUR_TIMES).capacityPolicy())
                .as("later registrations keep the allocation in mind, as for any default policy")
                .isEqualTo(generous);
    }
}
