package io.vireo.controller.alerts;

import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of every rule against the active alerts stored before it: a pure function. A label set whose
 * condition holds and that has no alert starts one, pending (firing at once if the rule's for-duration is zero); a
 * pending alert that has held for its for-duration fires; an alert whose condition no longer holds (or whose rule is
 * gone) ends: resolved if it was firing, dropped if it was pending.
 */
public final class AlertEvaluator {
    private AlertEvaluator() {}

    /**
     * What changes.
     *
     * @param started new alerts, pending or (zero for-duration) firing
     * @param fired pending alerts that fire now, as firing
     * @param resolved firing alerts whose condition no longer holds, as stored
     * @param dropped pending alerts whose condition no longer holds, as stored
     * @param active every alert active after this evaluation, with the annotations computed now
     */
    public record Evaluation(
            List<Alert> started, List<Alert> fired, List<Alert> resolved, List<Alert> dropped, List<Alert> active) {
        public Evaluation {
            started = List.copyOf(started);
            fired = List.copyOf(fired);
            resolved = List.copyOf(resolved);
            dropped = List.copyOf(dropped);
            active = List.copyOf(active);
        }
    }

    public static Evaluation evaluate(List<AlertRule> rules, AlertInputs inputs, List<Alert> stored) {
        Instant now = inputs.now();
        Map<String, Alert> before = new HashMap<>();
        stored.forEach(alert -> before.put(alert.key(), alert));
        Map<String, Alert> active = new LinkedHashMap<>();
        List<Alert> started = new ArrayList<>();
        List<Alert> fired = new ArrayList<>();
        for (AlertRule rule : rules) {
            for (AlertCandidate candidate : rule.condition().holdsFor(inputs)) {
                Map<String, String> labels = labels(rule, candidate);
                String key = Alert.keyOf(labels);
                if (active.containsKey(key)) {
                    continue; // two candidates with one label set are one alert
                }
                Alert previous = before.get(key);
                Alert alert;
                if (previous == null) {
                    alert = startOf(rule, key, labels, candidate, now);
                    started.add(alert);
                } else {
                    alert = carriedOn(rule, previous, candidate);
                    if (alert.state() == AlertState.PENDING && held(rule, alert, now)) {
                        alert = alert.fired(now);
                        fired.add(alert);
                    }
                }
                active.put(key, alert);
            }
        }
        List<Alert> resolved = new ArrayList<>();
        List<Alert> dropped = new ArrayList<>();
        for (Alert alert : stored) {
            if (!active.containsKey(alert.key())) {
                (alert.state() == AlertState.FIRING ? resolved : dropped).add(alert);
            }
        }
        return new Evaluation(started, fired, resolved, dropped, List.copyOf(active.values()));
    }

    /** The candidate's labels with the rule's name and severity, which no candidate may override. */
    private static Map<String, String> labels(AlertRule rule, AlertCandidate candidate) {
        Map<String, String> labels = new HashMap<>(candidate.labels());
        labels.put(Alert.ALERT_NAME, rule.name());
        labels.put("severity", rule.severity().label());
        return labels;
    }

    private static Alert startOf(
            AlertRule rule, String key, Map<String, String> labels, AlertCandidate candidate, Instant now) {
        boolean firesAtOnce = rule.forDuration().isZero();
        return new Alert(
                key,
                rule.name(),
                labels,
                annotations(rule, candidate),
                firesAtOnce ? AlertState.FIRING : AlertState.PENDING,
                now,
                firesAtOnce ? now : null);
    }

    private static Alert carriedOn(AlertRule rule, Alert previous, AlertCandidate candidate) {
        return new Alert(
                previous.key(),
                previous.rule(),
                previous.labels(),
                annotations(rule, candidate),
                previous.state(),
                previous.activeAt(),
                previous.firedAt());
    }

    private static Map<String, String> annotations(AlertRule rule, AlertCandidate candidate) {
        Map<String, String> annotations = new HashMap<>(candidate.annotations());
        annotations.putIfAbsent("summary", rule.summary());
        return annotations;
    }

    private static boolean held(AlertRule rule, Alert alert, Instant now) {
        return !alert.activeAt().plus(rule.forDuration()).isAfter(now);
    }
}
