package io.vireo.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThroughputForkTest {
    @Test
    void aRowSurvivesTheTripFromTheForkedJvmExactly() {
        ThroughputResult row = new ThroughputResult(10_000, 85, 5_000, 11_732.123456789, 1e-3, 75.1, 321.0, 7.55, 317);

        assertThat(ThroughputFork.decode("warming up\n" + ThroughputFork.encode(row)))
                .isEqualTo(row);
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> ThroughputFork.decode("1 2 3")).hasMessageContaining("unexpected output");
    }
}
