package io.vireo.sim.packing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.sim.workload.Shape;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PackingBaselinesTest {
    private static final Shape HOST = new Shape(8, 32, 100, 1_000);

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, VMs, lower bound, first-fit-decreasing hosts
                Arguments.of("nothing", List.of(), 0, 0),
                Arguments.of("one small VM", List.of(new Shape(1, 1, 1, 1)), 1, 1),
                Arguments.of("exactly two hosts of vCPUs", Collections.nCopies(4, new Shape(4, 4, 10, 10)), 2, 2),
                Arguments.of("memory binds", Collections.nCopies(3, new Shape(1, 32, 1, 1)), 3, 3),
                Arguments.of("NIC binds", Collections.nCopies(5, new Shape(1, 1, 1, 400)), 2, 3),
                Arguments.of(
                        "decreasing order pairs the big with the small",
                        List.of(
                                new Shape(2, 2, 2, 2),
                                new Shape(6, 6, 6, 6),
                                new Shape(2, 2, 2, 2),
                                new Shape(6, 6, 6, 6)),
                        2,
                        2),
                Arguments.of(
                        "two 5 vCPU VMs never share a host",
                        List.of(new Shape(5, 1, 1, 1), new Shape(5, 1, 1, 1)),
                        2,
                        2),
                Arguments.of(
                        "one class cannot mix with another",
                        List.of(new Shape(8, 1, 1, 1), new Shape(1, 32, 1, 1)),
                        2,
                        2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lowerBoundAndFirstFitDecreasing(String name, List<Shape> vms, long lowerBound, int firstFitDecreasing) {
        assertThat(LowerBound.hosts(vms, HOST)).isEqualTo(lowerBound);
        assertThat(FirstFitDecreasing.hosts(vms, HOST))
                .isEqualTo(firstFitDecreasing)
                .isGreaterThanOrEqualTo((int) lowerBound);
    }

    @Test
    void firstFitDecreasingRejectsAVmLargerThanAHost() {
        assertThatThrownBy(() -> FirstFitDecreasing.hosts(List.of(new Shape(9, 1, 1, 1)), HOST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit an empty host");
    }
}
