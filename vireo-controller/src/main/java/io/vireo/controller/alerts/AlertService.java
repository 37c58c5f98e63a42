package io.vireo.controller.alerts;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.EventLog;
import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the alert rules ({@link #evaluate}, which the server runs every {@link AlertSettings#evaluationInterval()}):
 * reads the cluster, runs {@link AlertEvaluator}, writes each transition to the store conditionally and records an
 * event for each firing and resolve that it wrote (so that replicas evaluating at once record each once), then hands
 * the notifier the alerts that fire (when they start firing, and again every {@link AlertSettings#resendInterval()})
 * and those resolved (once). A store that cannot be read fails the evaluation and changes nothing: an outage resolves
 * no alert.
 *
 * <p>Threading: {@link #evaluate} runs on one thread at a time (the server's alert timer); {@link #active()} and
 * {@link #rules()} may be called from any thread.
 */
public final class AlertService {
    private final AlertRepository alerts;
    private final Repositories store;
    private final MigrationRepository migrations;
    private final EventLog events;
    private final AlertNotifier notifier;
    private final Clock clock;
    private final AlertSettings settings;
    private final List<AlertRule> rules;
    /** When each firing alert was last handed to the notifier; kept in memory: a restart sends them all at once. */
    private final Map<String, Instant> lastSent = new HashMap<>();

    public AlertService(
            AlertRepository alerts,
            Repositories store,
            MigrationRepository migrations,
            EventLog events,
            AlertNotifier notifier,
            Clock clock,
            AlertSettings settings,
            List<AlertRule> rules) {
        this.alerts = requireNonNull(alerts, "alerts is null");
        this.store = requireNonNull(store, "store is null");
        this.migrations = requireNonNull(migrations, "migrations is null");
        this.events = requireNonNull(events, "events is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.rules = List.copyOf(rules);
    }

    /** What one evaluation did: how many alerts started, fired and resolved, and how many notices it sent. */
    public record Outcome(int active, int started, int fired, int resolved, int notices) {}

    public Outcome evaluate() {
        Instant now = clock.instant();
        AlertInputs inputs = read(now);
        AlertEvaluator.Evaluation evaluation = AlertEvaluator.evaluate(rules, inputs, alerts.list());
        List<AlertNotice> notices = new ArrayList<>();
        for (Alert alert : evaluation.started()) {
            if (alerts.insert(alert) && alert.state() == AlertState.FIRING) {
                events.alert(alert, "AlertFiring", describe(alert));
            }
        }
        for (Alert alert : evaluation.fired()) {
            if (alerts.fire(alert.key(), Objects.requireNonNull(alert.firedAt()))) {
                events.alert(alert, "AlertFiring", describe(alert));
            }
        }
        for (Alert alert : evaluation.resolved()) {
            if (alerts.remove(alert.key(), AlertState.FIRING)) {
                events.alert(alert, "AlertResolved", describe(alert));
            }
            // told once, by every replica that saw it end: receivers take a repeated resolve as one
            notices.add(new AlertNotice(alert.labels(), alert.annotations(), startsAt(alert), now, false));
            lastSent.remove(alert.key());
        }
        for (Alert alert : evaluation.dropped()) {
            alerts.remove(alert.key(), AlertState.PENDING);
        }
        for (Alert alert : evaluation.active()) {
            if (alert.state() == AlertState.FIRING && due(alert.key(), now)) {
                notices.add(new AlertNotice(
                        alert.labels(),
                        alert.annotations(),
                        startsAt(alert),
                        now.plus(settings.firingValidity()),
                        true));
                lastSent.put(alert.key(), now);
            }
        }
        lastSent.keySet().retainAll(evaluation.active().stream().map(Alert::key).toList());
        if (!notices.isEmpty()) {
            notifier.send(notices);
        }
        return new Outcome(
                evaluation.active().size(),
                evaluation.started().size(),
                evaluation.fired().size()
                        + (int) evaluation.started().stream()
                                .filter(alert -> alert.state() == AlertState.FIRING)
                                .count(),
                evaluation.resolved().size(),
                notices.size());
    }

    private AlertInputs read(Instant now) {
        int limit = settings.maxAlertsPerRule();
        return new AlertInputs(
                now,
                store.hosts().list(),
                store.vms().listUnsettled(now.minus(settings.stuckAfter()), limit),
                migrations.listFailedSince(now.minus(settings.migrationFailureWindow()), limit));
    }

    private boolean due(String key, Instant now) {
        Instant last = lastSent.get(key);
        return last == null || !last.plus(settings.resendInterval()).isAfter(now);
    }

    private static Instant startsAt(Alert alert) {
        Instant fired = alert.firedAt();
        return fired == null ? alert.activeAt() : fired;
    }

    private static String describe(Alert alert) {
        return alert.annotations()
                .getOrDefault("description", alert.annotations().getOrDefault("summary", ""));
    }

    /** The active alerts, pending and firing, as stored. */
    public List<Alert> active() {
        return alerts.list();
    }

    /** The rules evaluated. */
    public List<AlertRule> rules() {
        return rules;
    }

    public AlertSettings settings() {
        return settings;
    }
}
