package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.logging.Correlation;
import io.vireo.controller.port.EventRepository;
import io.vireo.model.Alert;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.Vm;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records events for objects and logs them, with their correlation id in the MDC ({@link Correlation}) whatever thread
 * records them. Thread-safe.
 */
public final class EventLog {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final EventRepository events;
    private final Clock clock;

    public EventLog(EventRepository events, Clock clock) {
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void vm(Vm vm, String type, String message, @Nullable String correlationId) {
        Correlation.run(correlationId, () -> log.info("vm {} ({}): {} {}", vm.name(), vm.id(), type, message));
        events.append(
                Event.of(clock.instant(), "vm", vm.id(), vm.name(), type, message, vm.projectId(), correlationId));
    }

    /**
     * Records a security decision as an event of its target; a refusal is also logged as a warning. The audit log has
     * its own record of it, written by whoever decided ({@link HostEnrollment}).
     */
    public void security(SecurityEvent event) {
        if (event.refused()) {
            log.warn(
                    "{} {} ({}): {} {}",
                    event.targetKind(),
                    event.targetName(),
                    event.targetId(),
                    event.eventType(),
                    event.message());
        } else {
            log.info(
                    "{} {} ({}): {} {}",
                    event.targetKind(),
                    event.targetName(),
                    event.targetId(),
                    event.eventType(),
                    event.message());
        }
        events.append(Event.of(
                clock.instant(),
                event.targetKind(),
                event.targetId(),
                event.targetName(),
                event.eventType(),
                event.message(),
                null,
                null));
    }

    public void host(Host host, String type, String message) {
        host(host, type, message, null);
    }

    /** An event of the host, part of the work that {@code correlationId} names (an operator's drain…). */
    public void host(Host host, String type, String message, @Nullable String correlationId) {
        Correlation.run(correlationId, () -> log.info("host {} ({}): {} {}", host.name(), host.id(), type, message));
        events.append(Event.of(clock.instant(), "host", host.id(), host.name(), type, message, null, correlationId));
    }

    /** Records an alert's firing or resolve (ADR 24): an event of kind {@code alert}, named by the alert's labels. */
    public void alert(Alert alert, String type, String message) {
        log.info("alert {}: {} {}", alert.key(), type, message);
        events.append(Event.of(clock.instant(), "alert", alert.eventId(), alert.key(), type, message, null, null));
    }
}
