package io.vireo.controller.alerts;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.Vm;
import java.time.Instant;
import java.util.List;

/**
 * What one evaluation reads of the cluster, at {@code now}: every host, the VMs in a transitional state for longer
 * than the settings' {@code stuckAfter}, and the migrations that failed within the settings' window (both bounded by
 * {@link AlertSettings#maxAlertsPerRule()}).
 */
public record AlertInputs(Instant now, List<Host> hosts, List<Vm> stuckVms, List<Migration> failedMigrations) {
    public AlertInputs {
        requireNonNull(now, "now is null");
        hosts = List.copyOf(hosts);
        stuckVms = List.copyOf(stuckVms);
        failedMigrations = List.copyOf(failedMigrations);
    }
}
