package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ControlPlaneSummaryTest {
    private static StepOutcome step(String label, double offered, @Nullable Double running, boolean sustained) {
        return new StepOutcome(
                label, offered, 10, 250, 250, 0, running, 20.0, 80.0, 21.0, 90.0, 400.0, 900.0, 0, 10, 30.0, 60.0, 15.0,
                100, 0, 5_000, 5.0, 40.0, 0.8, 0.5, 0.6, sustained);
    }

    private static ControlPlaneSummary summary(List<StepOutcome> steps) {
        StepOutcome headline = ControlPlaneSummary.headline(steps);
        return new ControlPlaneSummary(
                2_000,
                20_000,
                true,
                "./vireo bench control-plane --quick",
                2048,
                headline == null ? null : headline.runningPerSecond(),
                headline == null ? null : headline.offeredPerSecond(),
                headline != null && headline.sustained(),
                headline == null ? null : headline.p50MutatingMillis(),
                headline == null ? null : headline.p99MutatingMillis(),
                headline == null ? null : headline.p99CreateToRunningMillis(),
                headline == null ? null : headline.p99ListMillis(),
                headline == null ? null : headline.heartbeatLagP99Millis(),
                12.5,
                900.0,
                1_100.0,
                0.8,
                0.5,
                0.6,
                310.0,
                1.2,
                4.5,
                StorageProbes.FSYNC_METHOD,
                150.0,
                9.0,
                300.0,
                120.0,
                0,
                20.0,
                false,
                8.0,
                11.0,
                steps,
                3.5,
                170.0);
    }

    @Test
    void theHeadlineIsTheHighestSustainedStep() {
        List<StepOutcome> steps = List.of(
                step("prefill", 0, 120.0, false),
                step("step 1", 25, 24.5, true),
                step("step 2", 50, 49.0, true),
                step("step 3", 100, 61.0, false));

        assertThat(ControlPlaneSummary.headline(steps)).isEqualTo(steps.get(2));
    }

    @Test
    void withoutASustainedStepTheHeadlineIsTheFirstStepAndSaysSo() {
        List<StepOutcome> steps = List.of(step("prefill", 0, 120.0, false), step("step 1", 25, 10.0, false));

        ControlPlaneSummary summary = summary(steps);

        assertThat(ControlPlaneSummary.headline(steps)).isEqualTo(steps.get(1));
        assertThat(summary.sustained()).isFalse();
        assertThat(summary.markdown("machine", "cpu", "7 December 2026", "notes"))
                .contains("10.0 (offered 25), not sustained");
    }

    @Test
    void theJsonSummaryHasTheAgreedFieldsAndNullForWhatWasNotMeasured() throws Exception {
        List<StepOutcome> steps = List.of(step("step 1", 25, 24.5, true), step("step 2", 50, null, false));

        JsonNode json = new ObjectMapper().readTree(summary(steps).json());

        for (String field : List.of(
                "hosts",
                "vms",
                "createsPerSecond",
                "p99MutatingMillis",
                "p99CreateToRunningMillis",
                "p99ListMillis",
                "heartbeatLagP99Millis",
                "resyncSeconds",
                "serverRssMib")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.path("hosts").asInt()).isEqualTo(2_000);
        assertThat(json.path("createsPerSecond").asDouble()).isEqualTo(24.5);
        assertThat(json.path("p99MutatingMillis").asDouble()).isEqualTo(90.0);
        assertThat(json.path("steps").get(1).path("runningPerSecond").isNull()).isTrue();
        assertThat(summary(steps).json()).doesNotContain("\n").doesNotContain("NaN");
    }

    @Test
    void theMarkdownSectionNamesTheCommandAndEndsWithTheJson() {
        ControlPlaneSummary summary = summary(List.of(step("step 1", 25, 24.5, true)));

        String markdown = summary.markdown("nproc 2", "Some CPU", "7 December 2026, 10:00 UTC", "How it is measured.");

        assertThat(markdown)
                .startsWith("## Control plane: `./vireo bench control-plane` (vireo-sim), 2,000 hosts, 20,000 VMs")
                .contains("Command: `./vireo bench control-plane --quick`")
                .contains("Machine: nproc 2, load average 3.50 at the end; CPU: Some CPU.")
                .contains("| step 1 | 25 |")
                .contains("How it is measured.")
                .endsWith(summary.json() + "\n```\n");
    }
}
