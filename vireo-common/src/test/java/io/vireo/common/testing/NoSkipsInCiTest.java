package io.vireo.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;

class NoSkipsInCiTest {
    private static Throwable failedAssumption() {
        return catchThrowable(() ->
                assumeThat(false).as("qemu-system-x86_64 is not installed").isTrue());
    }

    @Test
    void inCiAFailedAssumptionIsAFailure() {
        Throwable converted = NoSkipsInCi.failIf(true, failedAssumption());
        assertThat(converted).isInstanceOf(AssertionError.class).hasMessageContaining("qemu-system-x86_64");
    }

    @Test
    void elsewhereItStillSkips() {
        Throwable assumption = failedAssumption();
        assertThat(NoSkipsInCi.failIf(false, assumption)).isSameAs(assumption);
    }

    @Test
    void otherFailuresPassThroughInCi() {
        IllegalStateException failure = new IllegalStateException("boom");
        assertThat(NoSkipsInCi.failIf(true, failure)).isSameAs(failure);
    }
}
