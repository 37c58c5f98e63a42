package io.vireo.controller.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * What a receiver is told of one alert, in Alertmanager's terms: a firing alert has {@code endsAt} in the future (it
 * lapses unless sent again), a resolved one has {@code endsAt} = when it resolved.
 */
public record AlertNotice(
        Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt, boolean firing) {
    public AlertNotice {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        requireNonNull(startsAt, "startsAt is null");
        requireNonNull(endsAt, "endsAt is null");
    }
}
