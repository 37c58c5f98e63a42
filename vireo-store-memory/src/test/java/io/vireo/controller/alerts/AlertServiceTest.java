package io.vireo.controller.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vireo.common.testing.MutableClock;
import io.vireo.controller.EventLog;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.Resources;
import io.vireo.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alert service on the in-memory store with a fixed clock: a host down goes pending, fires after its for-duration,
 * is re-sent every resend interval while it fires with {@code endsAt} ahead, and is resolved once when the host is
 * back; the state survives a new service (a restarted server) without a spurious resolve; every firing and resolve is
 * an event; the watchdog always fires.
 */
class AlertServiceTest {
    private static final Duration TICK = AlertSettings.DEFAULTS.evaluationInterval();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryStore memory = new InMemoryStore();
    private final Repositories store = memory.repositories();
    private final List<AlertNotice> sent = new ArrayList<>();
    private final Host h1;

    AlertServiceTest() {
        h1 = store.hosts()
                .register(new HostRegistration("h1", new Resources(8, 16384, 100), List.of(), "fake"), clock.instant());
        store.hosts()
                .register(new HostRegistration("h2", new Resources(8, 16384, 100), List.of(), "fake"), clock.instant());
    }

    private AlertService service() {
        return new AlertService(
                memory.alerts(),
                store,
                memory.migrations(),
                new EventLog(store.events(), clock),
                sent::addAll,
                clock,
                AlertSettings.DEFAULTS,
                BuiltInAlertRules.of(AlertSettings.DEFAULTS));
    }

    @Test
    void aDownHostIsPendingThenFiresIsResentAndIsResolvedOnceWhenItIsBack() {
        AlertService alerts = service();
        alerts.evaluate();
        assertThat(names(sent)).containsExactly(BuiltInAlertRules.WATCHDOG);
        sent.clear();

        store.hosts().updateState(h1.id(), HostState.DOWN);
        Instant downAt = clock.instant();
        alerts.evaluate();
        assertThat(state(BuiltInAlertRules.HOST_DOWN)).isEqualTo(AlertState.PENDING);
        assertThat(sent).isEmpty();

        Instant firedAt = runUntil(alerts, () -> !hostDownNotices().isEmpty());
        assertThat(Duration.between(downAt, firedAt))
                .isGreaterThanOrEqualTo(AlertSettings.DEFAULTS.hostDownFor())
                .isLessThanOrEqualTo(AlertSettings.DEFAULTS.hostDownFor().plus(TICK));
        AlertNotice firing = hostDownNotices().getFirst();
        assertThat(firing.firing()).isTrue();
        assertThat(firing.labels())
                .containsEntry("alertname", "VireoHostDown")
                .containsEntry("severity", "critical")
                .containsEntry("host_id", h1.id().toString())
                .containsEntry("host", "h1");
        assertThat(firing.annotations()).containsKeys("summary", "description");
        assertThat(firing.startsAt()).isEqualTo(firedAt);
        assertThat(firing.endsAt()).isEqualTo(firedAt.plus(AlertSettings.DEFAULTS.firingValidity()));

        sent.clear();
        Instant resentAt = runUntil(alerts, () -> !hostDownNotices().isEmpty());
        assertThat(Duration.between(firedAt, resentAt)).isEqualTo(AlertSettings.DEFAULTS.resendInterval());

        store.hosts().updateState(h1.id(), HostState.UP);
        sent.clear();
        clock.advance(TICK);
        alerts.evaluate();
        assertThat(hostDownNotices()).singleElement().satisfies(resolved -> {
            assertThat(resolved.firing()).isFalse();
            assertThat(resolved.endsAt()).isEqualTo(clock.instant());
            assertThat(resolved.startsAt()).isEqualTo(firedAt);
        });
        sent.clear();
        clock.advance(TICK);
        alerts.evaluate();
        assertThat(hostDownNotices()).isEmpty();
        assertThat(memory.alerts().list()).extracting(Alert::rule).containsExactly(BuiltInAlertRules.WATCHDOG);

        assertThat(alertEvents())
                .extracting(Event::type, Event::objectName)
                .containsExactly(
                        tuple("AlertFiring", "{alertname=\"Watchdog\",severity=\"none\"}"),
                        tuple(
                                "AlertFiring",
                                "{alertname=\"VireoHostDown\",host=\"h1\",host_id=\"" + h1.id()
                                        + "\",severity=\"critical\"}"),
                        tuple(
                                "AlertResolved",
                                "{alertname=\"VireoHostDown\",host=\"h1\",host_id=\"" + h1.id()
                                        + "\",severity=\"critical\"}"));
    }

    @Test
    void aRestartedServerKeepsPendingAndFiringAlertsWithoutResolvingThem() {
        store.hosts().updateState(h1.id(), HostState.FENCED);
        AlertService before = service();
        before.evaluate();
        Instant activeAt = clock.instant();
        clock.advance(AlertSettings.DEFAULTS.hostDownFor().dividedBy(2));
        before.evaluate();

        AlertService after = service(); // a new server, the same store
        runUntil(after, () -> !hostDownNotices().isEmpty());
        assertThat(Duration.between(activeAt, clock.instant()))
                .as("the pending alert kept its start across the restart")
                .isLessThanOrEqualTo(AlertSettings.DEFAULTS.hostDownFor().plus(TICK));

        sent.clear();
        AlertService again = service();
        clock.advance(TICK);
        again.evaluate();
        assertThat(hostDownNotices())
                .as("still firing after another restart, sent at once, never resolved")
                .singleElement()
                .satisfies(notice -> assertThat(notice.firing()).isTrue());
        assertThat(alertEvents()).extracting(Event::type).doesNotContain("AlertResolved");
        assertThat(alertEvents())
                .filteredOn(event -> event.objectName().contains("VireoHostDown"))
                .hasSize(1);
    }

    @Test
    void capacityAboveTheRatioHoldsPerResourceOverTheWholeCluster() {
        List<Host> hosts = store.hosts().list().stream()
                .map(host -> host.withAllocation(new Resources(7, 1024, 90)))
                .toList();
        AlertRule rule = BuiltInAlertRules.capacityHigh(0.85, Duration.ofMinutes(5));
        assertThat(rule.condition().holdsFor(new AlertInputs(clock.instant(), hosts, List.of(), List.of())))
                .extracting(candidate -> candidate.labels().get("resource"))
                .containsExactly("vcpus", "disk");
        List<Host> oneFull = List.of(hosts.getFirst(), store.hosts().list().get(1));
        assertThat(rule.condition().holdsFor(new AlertInputs(clock.instant(), oneFull, List.of(), List.of())))
                .as("one full host of two is half the cluster")
                .isEmpty();
    }

    private Instant runUntil(AlertService alerts, java.util.function.BooleanSupplier done) {
        for (int i = 0; i < 1000; i++) {
            clock.advance(TICK);
            alerts.evaluate();
            if (done.getAsBoolean()) {
                return clock.instant();
            }
        }
        throw new AssertionError("never happened");
    }

    private List<AlertNotice> hostDownNotices() {
        return sent.stream()
                .filter(notice ->
                        BuiltInAlertRules.HOST_DOWN.equals(notice.labels().get("alertname")))
                .toList();
    }

    private AlertState state(String rule) {
        return memory.alerts().list().stream()
                .filter(alert -> alert.rule().equals(rule))
                .findFirst()
                .orElseThrow()
                .state();
    }

    private List<Event> alertEvents() {
        return store.events().list(new EventFilter("alert", null, null, 0, EventFilter.MAX_LIMIT));
    }

    private static List<String> names(List<AlertNotice> notices) {
        return notices.stream().map(notice -> notice.labels().get("alertname")).toList();
    }
}
