package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlPlaneOptionsTest {
    private static ControlPlaneOptions parse(String... args) {
        return ControlPlaneOptions.parse(List.of(args));
    }

    @Test
    void quickIsTwoThousandHostsAndTwentyThousandVmsWithShortSteps() {
        ControlPlaneOptions quick = parse("control-plane", "--quick");

        assertThat(quick.hosts()).isEqualTo(2_000);
        assertThat(quick.vms()).isEqualTo(20_000);
        assertThat(quick.step()).isLessThan(Duration.ofSeconds(60));
        assertThat(quick.command()).isEqualTo("./vireo bench control-plane --quick");
    }

    @Test
    void theFullRunIsTenThousandHostsAndAHundredThousandVmsWithMinuteSteps() {
        ControlPlaneOptions full = parse("control-plane");

        assertThat(full.hosts()).isEqualTo(10_000);
        assertThat(full.vms()).isEqualTo(100_000);
        assertThat(full.step()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(full.warmup()).isPositive();
        assertThat(full.command()).isEqualTo("./vireo bench control-plane");
    }

    @Test
    void optionsOverrideTheDefaultsAndTheCommandRepeatsThem() {
        ControlPlaneOptions options = parse(
                "control-plane",
                "--quick",
                "--hosts",
                "500",
                "--vms",
                "5,000",
                "--step-seconds",
                "20",
                "--start-rate",
                "12.5",
                "--max-steps",
                "3",
                "--server-heap-mib",
                "1024",
                "--append",
                "docs/benchmarks.md");

        assertThat(options.hosts()).isEqualTo(500);
        assertThat(options.vms()).isEqualTo(5_000);
        assertThat(options.step()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.append()).isEqualTo(Path.of("docs/benchmarks.md"));
        assertThat(options.command())
                .isEqualTo("./vireo bench control-plane --quick --hosts 500 --vms 5000 --step-seconds 20"
                        + " --start-rate 12.5 --max-steps 3 --server-heap-mib 1024");
        assertThat(parse(options.command().substring("./vireo bench ".length()).split(" ")))
                .as("the command parses back to the same run")
                .usingRecursiveComparison()
                .ignoringFields("append")
                .isEqualTo(options);
    }

    @Test
    void eachStepOffersTheRateFactorMoreThanTheOneBefore() {
        ControlPlaneOptions options = parse("control-plane", "--quick", "--start-rate", "25");

        assertThat(List.of(options.rate(0), options.rate(1), options.rate(2)))
                .containsExactly(25.0, 25.0 * options.rateFactor(), 25.0 * options.rateFactor() * options.rateFactor());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(List.of("scheduler"), "usage"),
                Arguments.of(List.of("control-plane", "--hots", "5"), "unknown argument '--hots'"),
                Arguments.of(List.of("control-plane", "--hosts"), "--hosts needs a value"),
                Arguments.of(List.of("control-plane", "--hosts", "many"), "--hosts must be a whole number"),
                Arguments.of(List.of("control-plane", "--hosts", "0"), "--hosts must be 1-"),
                Arguments.of(List.of("control-plane", "--vms", "-1"), "--vms must be 0-"),
                Arguments.of(List.of("control-plane", "--start-rate", "0"), "--start-rate must be positive"),
                Arguments.of(List.of("control-plane", "--step-seconds", "0"), "--step-seconds must be positive"),
                Arguments.of(List.of("control-plane", "--server-heap-mib", "16"), "--server-heap-mib must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatItCannotRun(List<String> args, String message) {
        assertThatThrownBy(() -> ControlPlaneOptions.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
