package io.vireo.controller.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The pure evaluator: inactive → pending → firing → resolved, a pending alert dropped, a zero for-duration. */
class AlertEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicBoolean holds = new AtomicBoolean();
    private final AlertRule rule = new AlertRule(
            "Test",
            AlertSeverity.WARNING,
            Duration.ofSeconds(30),
            "a test",
            "when told",
            inputs -> holds.get()
                    ? List.of(new AlertCandidate(Map.of("thing", "a"), Map.of("description", "at " + inputs.now())))
                    : List.of());

    private AlertEvaluator.Evaluation at(Duration after, List<Alert> stored) {
        return AlertEvaluator.evaluate(
                List.of(rule), new AlertInputs(T0.plus(after), List.of(), List.of(), List.of()), stored);
    }

    @Test
    void anAlertIsPendingForItsForDurationThenFiresThenResolves() {
        assertThat(at(Duration.ZERO, List.of()).active()).isEmpty();
        holds.set(true);
        AlertEvaluator.Evaluation started = at(Duration.ZERO, List.of());
        Alert pending = started.started().getFirst();
        assertThat(pending.state()).isEqualTo(AlertState.PENDING);
        assertThat(pending.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("alertname", "Test", "severity", "warning", "thing", "a"));
        assertThat(pending.annotations()).containsEntry("summary", "a test");

        AlertEvaluator.Evaluation early = at(Duration.ofSeconds(29), List.of(pending));
        assertThat(early.fired()).isEmpty();
        assertThat(early.active()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.PENDING);
            assertThat(alert.annotations()).containsEntry("description", "at " + T0.plusSeconds(29));
        });

        AlertEvaluator.Evaluation fires = at(Duration.ofSeconds(30), List.of(pending));
        Alert firing = fires.fired().getFirst();
        assertThat(firing.state()).isEqualTo(AlertState.FIRING);
        assertThat(firing.firedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(firing.activeAt()).isEqualTo(T0);

        assertThat(at(Duration.ofSeconds(60), List.of(firing)).fired()).isEmpty();
        holds.set(false);
        AlertEvaluator.Evaluation resolved = at(Duration.ofSeconds(65), List.of(firing));
        assertThat(resolved.resolved()).containsExactly(firing);
        assertThat(resolved.active()).isEmpty();
    }

    @Test
    void aPendingAlertWhoseConditionEndsIsDroppedNotResolved() {
        holds.set(true);
        Alert pending = at(Duration.ZERO, List.of()).started().getFirst();
        holds.set(false);
        AlertEvaluator.Evaluation evaluation = at(Duration.ofSeconds(10), List.of(pending));
        assertThat(evaluation.dropped()).containsExactly(pending);
        assertThat(evaluation.resolved()).isEmpty();
    }

    @Test
    void aZeroForDurationFiresAtOnceAndTheWatchdogAlwaysDoes() {
        AlertEvaluator.Evaluation evaluation = AlertEvaluator.evaluate(
                List.of(BuiltInAlertRules.watchdog()), new AlertInputs(T0, List.of(), List.of(), List.of()), List.of());
        assertThat(evaluation.started()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.firedAt()).isEqualTo(T0);
            assertThat(alert.key()).isEqualTo("{alertname=\"Watchdog\",severity=\"none\"}");
        });
    }

    @Test
    void anAlertOfARuleNoLongerEvaluatedIsResolved() {
        holds.set(true);
        Alert pending = at(Duration.ZERO, List.of()).started().getFirst();
        Alert firing = pending.fired(T0.plusSeconds(30));
        AlertEvaluator.Evaluation evaluation = AlertEvaluator.evaluate(
                List.of(), new AlertInputs(T0.plusSeconds(40), List.of(), List.of(), List.of()), List.of(firing));
        assertThat(evaluation.resolved()).containsExactly(firing);
    }
}
