package io.vireo.sim.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator as CI runs it: 200 seeds with every fault on hold every invariant (and every fault kind fires), every
 * planted bug is caught within 200 seeds and its seed replays, and a seed gives the same trace in another JVM.
 */
class SimulationTest {
    private static final int SEEDS = 200;
    private static final long STEPS = 10_000;

    @TempDir
    Path scratch;

    @Test
    void everyInvariantHoldsOverTwoHundredSeedsWithEveryFault() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = SimCommand.run(
                    List.of("run", "--seeds", "1.." + SEEDS, "--steps", Long.toString(STEPS), "--require-all-faults"),
                    out,
                    scratch);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        String[] lines = printed.split("\n");
        System.out.println(lines[lines.length - 1]); // the totals, for the CI log
        assertThat(status).as(printed).isZero();
    }

    @Test
    void everyPlantedBugIsCaughtAndItsSeedReplays() {
        for (Mutation mutation : Mutation.values()) {
            if (mutation == Mutation.NONE) {
                continue;
            }
            SimulationOptions options =
                    SimulationOptions.defaults().withSteps(STEPS).withMutation(mutation);
            Optional<SimulationResult> caught = Optional.empty();
            for (long seed = 1; seed <= SEEDS && caught.isEmpty(); seed++) {
                SimulationResult result = Simulation.run(seed, options, scratch);
                if (!result.passed()) {
                    caught = Optional.of(result);
                }
            }
            assertThat(caught)
                    .as(mutation + " caught within " + SEEDS + " seeds")
                    .isPresent();
            SimulationResult first = caught.get();
            System.out.println(mutation.flag() + " caught: " + first.summary());
            SimulationResult again = Simulation.run(first.seed(), options, scratch);
            assertThat(again.traceHash()).isEqualTo(first.traceHash());
            assertThat(again.violation()).isEqualTo(first.violation());
        }
    }

    @Test
    void aSeedGivesTheSameTraceInAnotherJvm() throws Exception {
        SimulationOptions options = SimulationOptions.defaults().withSteps(3_000);
        SimulationResult here = Simulation.run(11, options, scratch);

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SimCommand.class.getName(),
                "run",
                "--seed",
                "11",
                "--steps",
                "3000"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).contains(String.format("trace %016x", here.traceHash()));
    }
}
