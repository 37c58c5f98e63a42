package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.AlertJson;
import io.vireo.api.json.AlertRuleJson;
import io.vireo.api.json.PageJson;
import io.vireo.controller.alerts.AlertService;
import java.util.List;

/**
 * {@code /alerts}: the active alerts (pending and firing) and the rules the server evaluates (ADR 24). Cloud-wide, so
 * for the admin project's users only, like the metrics. Thread-safe.
 */
public final class AlertResource {
    static final String PATH = ApiPaths.V1 + "/alerts";

    private final AlertService alerts;

    public AlertResource(AlertService alerts) {
        this.alerts = requireNonNull(alerts, "alerts is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listAlerts", "The active alerts, pending and firing, by their labels")
                                .responds(200, "The alerts, on one page", Payload.pageOf(AlertJson.class))
                                .build(),
                        request -> ApiResponse.ok(new PageJson<>(
                                alerts.active().stream().map(AlertJson::of).toList(), null))),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/rules",
                        Operation.builder("listAlertRules", "The alert rules the server evaluates")
                                .responds(200, "The rules, on one page", Payload.pageOf(AlertRuleJson.class))
                                .build(),
                        request -> ApiResponse.ok(new PageJson<>(
                                alerts.rules().stream().map(AlertRuleJson::of).toList(), null))));
    }
}
