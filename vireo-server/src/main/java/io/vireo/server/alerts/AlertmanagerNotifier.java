package io.vireo.server.alerts;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vireo.controller.alerts.AlertNotice;
import io.vireo.controller.alerts.AlertNotifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to Alertmanager-compatible receivers: one {@code POST URL/api/v2/alerts} per receiver and evaluation,
 * a JSON array of {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt} and {@code generatorURL}, as
 * Prometheus sends them. Sends are asynchronous ({@link #send} never waits on the network) and bounded: at most
 * {@link #MAX_IN_FLIGHT} posts per receiver at once, each within {@link #TIMEOUT}; a post beyond that is dropped. A
 * failed or dropped post is logged and counted ({@code vireo_alert_notifications_failed_total{receiver}}), never
 * retried: the next resend carries the firing alerts again. Thread-safe.
 */
public final class AlertmanagerNotifier implements AlertNotifier {
    private static final Logger log = LoggerFactory.getLogger(AlertmanagerNotifier.class);

    /** The longest a post may take, connecting included. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The most posts in flight to one receiver. */
    public static final int MAX_IN_FLIGHT = 4;

    private static final String PATH = "/api/v2/alerts";

    private final List<Receiver> receivers;
    private final Supplier<String> generatorUrl;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private record Receiver(URI url, Semaphore inFlight, Counter sent, Counter failed) {}

    /**
     * @param urls the receivers: an Alertmanager's base URL ({@code http://am:9093}), to which {@code /api/v2/alerts}
     *     is added unless the URL ends with it
     * @param generatorUrl where an alert's {@code generatorURL} points: the API's alert list, known once it listens
     */
    public AlertmanagerNotifier(List<URI> urls, Supplier<String> generatorUrl, MeterRegistry registry) {
        requireNonNull(registry, "registry is null");
        this.generatorUrl = requireNonNull(generatorUrl, "generatorUrl is null");
        this.receivers = urls.stream()
                .map(url -> {
                    URI endpoint = endpoint(url);
                    return new Receiver(
                            endpoint,
                            new Semaphore(MAX_IN_FLIGHT),
                            Counter.builder("vireo.alert.notifications.sent")
                                    .description("Posts of alerts a receiver accepted")
                                    .tag("receiver", endpoint.toString())
                                    .register(registry),
                            Counter.builder("vireo.alert.notifications.failed")
                                    .description("Posts of alerts that failed, timed out or were dropped")
                                    .tag("receiver", endpoint.toString())
                                    .register(registry));
                })
                .toList();
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** {@code url} with {@code /api/v2/alerts} added unless it is there already. */
    static URI endpoint(URI url) {
        String text = url.toString();
        if (text.endsWith(PATH)) {
            return url;
        }
        return URI.create(text.replaceAll("/+$", "") + PATH);
    }

    /** The receivers' endpoints. */
    public List<URI> endpoints() {
        return receivers.stream().map(Receiver::url).toList();
    }

    @Override
    public void send(List<AlertNotice> notices) {
        if (notices.isEmpty() || receivers.isEmpty()) {
            return;
        }
        String body = body(notices);
        for (Receiver receiver : receivers) {
            post(receiver, body, notices.size());
        }
    }

    /** The JSON array Alertmanager's {@code POST /api/v2/alerts} takes. */
    String body(List<AlertNotice> notices) {
        String generator = generatorUrl.get();
        List<Map<String, Object>> alerts = notices.stream()
                .map(notice -> {
                    Map<String, Object> alert = new LinkedHashMap<>();
                    alert.put("labels", notice.labels());
                    alert.put("annotations", notice.annotations());
                    alert.put("startsAt", notice.startsAt().toString());
                    alert.put("endsAt", notice.endsAt().toString());
                    alert.put("generatorURL", generator);
                    return alert;
                })
                .toList();
        try {
            return json.writeValueAsString(alerts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alerts as JSON", e);
        }
    }

    private void post(Receiver receiver, String body, int alerts) {
        if (!receiver.inFlight().tryAcquire()) {
            receiver.failed().increment();
            log.warn("alerts for {} dropped: {} posts already in flight", receiver.url(), MAX_IN_FLIGHT);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(receiver.url())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                receiver.inFlight().release();
                if (failure != null) {
                    receiver.failed().increment();
                    log.warn("cannot send {} alert(s) to {}: {}", alerts, receiver.url(), failure.toString());
                } else if (response.statusCode() / 100 != 2) {
                    receiver.failed().increment();
                    log.warn(
                            "{} refused {} alert(s): HTTP {} {}",
                            receiver.url(),
                            alerts,
                            response.statusCode(),
                            abbreviated(response.body()));
                } else {
                    receiver.sent().increment();
                }
            });
        } catch (RuntimeException e) {
            receiver.inFlight().release();
            receiver.failed().increment();
            log.warn("cannot send alerts to {}: {}", receiver.url(), e.toString());
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
