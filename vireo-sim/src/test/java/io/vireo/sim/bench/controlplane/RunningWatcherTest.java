package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunningWatcherTest {
    @ParameterizedTest(name = "{0} \"{1}\": {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "StateChanged | STARTING -> RUNNING | true",
                "StateChanged | SCHEDULED -> RUNNING: adopted | true",
                "StateChanged | RUNNING -> STOPPING | false",
                "StateChanged | STARTING -> RUNNING_SOMEHOW | false",
                "Created | flavor tiny -> RUNNING | false",
                "StateChanged | RUNNING | false"
            })
    void aVmReachesRunningOnItsStateChangeToRunning(String type, String message, boolean reached) {
        assertThat(RunningWatcher.reachedRunning(type, message)).isEqualTo(reached);
    }
}
