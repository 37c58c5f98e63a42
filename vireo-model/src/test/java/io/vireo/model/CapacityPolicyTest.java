package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one definition of effective capacity, {@code floor((total - reserved) * ratio)}, as a table. */
class CapacityPolicyTest {
    static Stream<Arguments> effective() {
        return Stream.of(
                // total, reserved, ratio, effective
                Arguments.of(8, 0, 1.0, 8),
                Arguments.of(8, 0, 4.0, 32),
                Arguments.of(8, 2, 4.0, 24),
                Arguments.of(8, 8, 4.0, 0),
                Arguments.of(8, 9, 4.0, 0), // reservation capped at the total, never negative
                Arguments.of(0, 0, 16.0, 0),
                Arguments.of(7, 0, 1.5, 10), // 10.5 floored
                Arguments.of(3, 0, 0.1, 0), // 0.30000000000000004 floored
                Arguments.of(10, 0, 0.1, 1),
                Arguments.of(100, 0, 1.1, 110), // 110.00000000000001 floored
                Arguments.of(3, 0, 1.1, 3), // 3.3000000000000003
                Arguments.of(524_288, 512, 1.0, 523_776),
                Arguments.of(524_288, 512, 1.5, 785_664),
                Arguments.of(1, 0, 1000.0, 1000),
                Arguments.of(Long.MAX_VALUE, 0, 1000.0, Long.MAX_VALUE)); // saturates
    }

    @ParameterizedTest(name = "floor(({0} - {1}) * {2}) = {3}")
    @MethodSource
    void effective(long total, long reserved, double ratio, long expected) {
        assertThat(CapacityPolicy.effective(total, reserved, ratio)).isEqualTo(expected);
    }

    @Test
    void effectiveCapacityAppliesEachClassItsOwnReservationAndRatio() {
        CapacityPolicy policy = new CapacityPolicy(new Resources(2, 1024, 10), 4.0, 1.5, 1.0);
        assertThat(policy.effectiveCapacity(new Resources(16, 8192, 100))).isEqualTo(new Resources(56, 10752, 90));
        assertThat(CapacityPolicy.NONE.effectiveCapacity(new Resources(16, 8192, 100)))
                .isEqualTo(new Resources(16, 8192, 100));
        assertThat(new CapacityPolicy(Resources.ZERO, 1000.0, 1.0, 1.0)
                        .effectiveCapacity(new Resources(Integer.MAX_VALUE, 0, 0))
                        .vcpus())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aHostFitsClaimsWithinItsEffectiveCapacity() {
        Host host = new Host(
                UUID.randomUUID(),
                "h1",
                Instant.EPOCH,
                HostState.UP,
                new Resources(8, 4096, 100),
                new Resources(30, 3000, 50),
                7,
                List.of(),
                "fake",
                null,
                HostUsage.NONE,
                new CapacityPolicy(new Resources(0, 512, 0), 4.0, 1.0, 1.0),
                false);
        assertThat(host.effectiveCapacity()).isEqualTo(new Resources(32, 3584, 100));
        assertThat(host.free()).isEqualTo(new Resources(2, 584, 50));
        assertThat(new Resources(2, 584, 50).fitsWithin(host.free())).isTrue();
        assertThat(new Resources(3, 1, 1).fitsWithin(host.free())).isFalse();
        Host claimed = host.withAllocation(new Resources(32, 3584, 100));
        assertThat(claimed.free()).isEqualTo(Resources.ZERO);
        assertThat(claimed.resourceGeneration()).isEqualTo(8);
    }

    static Stream<Arguments> badRatios() {
        return Stream.of(
                Arguments.of(0.0),
                Arguments.of(-1.0),
                Arguments.of(Double.NaN),
                Arguments.of(Double.POSITIVE_INFINITY),
                Arguments.of(1000.5));
    }

    @ParameterizedTest
    @MethodSource
    void badRatios(double ratio) {
        assertThatThrownBy(() -> new CapacityPolicy(Resources.ZERO, ratio, 1.0, 1.0))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("vcpuRatio");
        assertThatThrownBy(() -> new CapacityPolicy(Resources.ZERO, 1.0, 1.0, ratio))
                .hasMessageContaining("diskRatio");
    }
}
