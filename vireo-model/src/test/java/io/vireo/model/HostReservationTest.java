package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The precedence of a host's reservation: operator's policy > agent's report > server default, per class. */
class HostReservationTest {
    private static final CapacityPolicy DEFAULTS = new CapacityPolicy(new Resources(0, 512, 0), 4.0, 1.0, 1.0);
    private static final CapacityPolicy OPERATOR = new CapacityPolicy(new Resources(1, 2048, 10), 2.0, 1.5, 1.0);

    static Stream<Arguments> inForce() {
        return Stream.of(
                // operator's policy, agent's report, policy in force
                Arguments.of(null, HostReservation.NONE, DEFAULTS),
                Arguments.of(
                        null,
                        new HostReservation(null, 4096L, null),
                        new CapacityPolicy(new Resources(0, 4096, 0), 4.0, 1.0, 1.0)),
                Arguments.of(
                        null,
                        new HostReservation(2, 0L, 50L),
                        new CapacityPolicy(new Resources(2, 0, 50), 4.0, 1.0, 1.0)), // 0 replaces the default's 512
                Arguments.of(null, new HostReservation(null, 512L, null), DEFAULTS),
                Arguments.of(OPERATOR, HostReservation.NONE, OPERATOR),
                Arguments.of(OPERATOR, new HostReservation(3, 4096L, 20L), OPERATOR)); // the operator's wins whole
    }

    @ParameterizedTest(name = "[{index}] operator {0}, agent {1}")
    @MethodSource
    void inForce(@Nullable CapacityPolicy operator, HostReservation agent, CapacityPolicy expected) {
        assertThat(agent.inForce(operator, DEFAULTS)).isEqualTo(expected);
    }

    @Test
    void theAgentsReservationOnlyEverChangesReservationsNeverRatios() {
        CapacityPolicy policy = new HostReservation(8, 8L, 8L).applyTo(OPERATOR);

        assertThat(policy.reserved()).isEqualTo(new Resources(8, 8, 8));
        assertThat(List.of(policy.vcpuRatio(), policy.memoryRatio(), policy.diskRatio()))
                .containsExactly(2.0, 1.5, 1.0);
    }

    @Test
    void withoutReportedReservationsZeroesOnlyTheReportedClasses() {
        assertThat(new HostReservation(null, 4096L, null).withoutReportedReservations(OPERATOR))
                .isEqualTo(new CapacityPolicy(new Resources(1, 0, 10), 2.0, 1.5, 1.0));
        assertThat(HostReservation.NONE.withoutReportedReservations(OPERATOR)).isEqualTo(OPERATOR);
    }

    @Test
    void orElseTakesTheOtherOnlyWhereThisReportsNothing() {
        HostReservation last = new HostReservation(1, 100L, 10L);
        assertThat(new HostReservation(null, 200L, null).orElse(last)).isEqualTo(new HostReservation(1, 200L, 10L));
        assertThat(HostReservation.NONE.orElse(last)).isEqualTo(last);
        assertThat(HostReservation.NONE.isEmpty()).isTrue();
        assertThat(last.isEmpty()).isFalse();
    }

    @Test
    void negativeValuesAreRefused() {
        assertThatThrownBy(() -> new HostReservation(-1, null, null))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> new HostReservation(null, null, -5L)).isInstanceOf(VireoException.class);
    }

    static Stream<Arguments> accepted() {
        Resources total = new Resources(16, 65_536, 1000);
        return Stream.of(
                // vcpus, memoryMib, diskGib as sent, accepted, refusals
                Arguments.of(null, null, null, total, HostReservation.NONE, List.of()),
                Arguments.of(2L, 4096L, 0L, total, new HostReservation(2, 4096L, 0L), List.of()),
                Arguments.of(15L, 65_535L, 999L, total, new HostReservation(15, 65_535L, 999L), List.of()),
                Arguments.of(
                        16L,
                        4096L,
                        null,
                        total,
                        new HostReservation(null, 4096L, null),
                        List.of("vcpus: must be zero or below the host's total of 16, got 16")),
                Arguments.of(
                        null,
                        -1L, // uint64 2^64 - 1 on the wire
                        1001L,
                        total,
                        HostReservation.NONE,
                        List.of(
                                "memoryMib: must be zero or below the host's total of 65536, got 18446744073709551615",
                                "diskGib: must be zero or below the host's total of 1000, got 1001")),
                Arguments.of(
                        0L,
                        0L,
                        0L,
                        Resources.ZERO,
                        new HostReservation(0, 0L, 0L),
                        List.of())); // nothing reserved is always fine
    }

    @ParameterizedTest(name = "[{index}] {0}/{1}/{2} of {3}")
    @MethodSource
    void accepted(
            @Nullable Long vcpus,
            @Nullable Long memoryMib,
            @Nullable Long diskGib,
            Resources total,
            HostReservation expected,
            List<String> expectedRefusals) {
        List<String> refusals = new ArrayList<>();

        assertThat(HostReservation.accepted(vcpus, memoryMib, diskGib, total, refusals::add))
                .isEqualTo(expected);
        assertThat(refusals).isEqualTo(expectedRefusals);
    }

    @Test
    void aHostOverAllocatedByItsReservationSaysByHowMuch() {
        Host host = new Host(
                java.util.UUID.randomUUID(),
                "h",
                java.time.Instant.EPOCH,
                HostState.UP,
                new Resources(8, 8192, 100),
                new Resources(4, 8000, 10),
                1,
                List.of(),
                "fake",
                null,
                HostUsage.NONE,
                new HostReservation(null, 1024L, null).applyTo(CapacityPolicy.NONE),
                false,
                new HostReservation(null, 1024L, null));

        assertThat(host.overAllocation()).contains("memoryMib 8000 > 7168");
        assertThat(host.free()).isEqualTo(new Resources(4, 0, 90));
    }
}
