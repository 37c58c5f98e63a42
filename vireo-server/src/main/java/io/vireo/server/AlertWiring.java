package io.vireo.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vireo.controller.EventLog;
import io.vireo.controller.alerts.AlertNotifier;
import io.vireo.controller.alerts.AlertService;
import io.vireo.controller.alerts.AlertSettings;
import io.vireo.controller.alerts.BuiltInAlertRules;
import io.vireo.controller.port.Repositories;
import io.vireo.server.alerts.AlertmanagerNotifier;
import io.vireo.store.Database;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts (ADR 24): the service over the store's active alerts and the built-in rules, sending to the configured
 * Alertmanager-compatible receivers, and its evaluation loop on a timer thread of its own, so that a slow store read
 * delays no other loop and no other loop delays an alert.
 */
final class AlertWiring {
    private static final Logger log = LoggerFactory.getLogger(AlertWiring.class);

    /** The evaluation time histogram's buckets: 10, as ADR 21's budget allows. */
    private static final Duration[] EVALUATION_BUCKETS = Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    private AlertWiring() {}

    static AlertService service(
            Database database,
            Repositories store,
            EventLog events,
            Clock clock,
            List<URI> receivers,
            Supplier<String> generatorUrl,
            MeterRegistry registry) {
        AlertNotifier notifier =
                receivers.isEmpty() ? AlertNotifier.NONE : new AlertmanagerNotifier(receivers, generatorUrl, registry);
        if (notifier instanceof AlertmanagerNotifier alertmanager) {
            log.info("alerts go to {}", alertmanager.endpoints());
        } else {
            log.info("no --alertmanager-url: alerts are evaluated and listed (vireo alert list), sent nowhere");
        }
        AlertSettings settings = AlertSettings.DEFAULTS;
        return new AlertService(
                database.alerts(),
                store,
                database.migrations(),
                events,
                notifier,
                clock,
                settings,
                BuiltInAlertRules.of(settings));
    }

    /** Evaluates every {@link AlertSettings#evaluationInterval()}, timed and counted; a failure waits for the next. */
    static void startLoop(AlertService alerts, MeterRegistry registry, Deque<AutoCloseable> resources) {
        Timer timer = Timer.builder("vireo.alert.evaluation")
                .description("Time to evaluate every alert rule once")
                .serviceLevelObjectives(EVALUATION_BUCKETS)
                .register(registry);
        Counter failures = Counter.builder("vireo.alert.evaluations.failed")
                .description("Alert evaluations that failed (the store unreadable, say): nothing changed")
                .register(registry);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-alerts").daemon().factory());
        resources.push(loop::shutdownNow);
        long millis = alerts.settings().evaluationInterval().toMillis();
        loop.scheduleWithFixedDelay(
                () -> {
                    try {
                        timer.record(alerts::evaluate);
                    } catch (RuntimeException e) {
                        failures.increment();
                        log.warn("alert evaluation failed; will run again: {}", e.toString());
                    }
                },
                0,
                millis,
                TimeUnit.MILLISECONDS);
    }
}
