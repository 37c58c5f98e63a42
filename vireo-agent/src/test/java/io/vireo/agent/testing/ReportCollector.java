package io.vireo.agent.testing;

import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.agent.reconcile.ReportSink;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Folds reports as a server would: a full report replaces the view, a change report updates it. Keeps every report.
 * Thread-safe.
 */
public final class ReportCollector implements ReportSink {
    private final Map<UUID, ObservedVm> view = new HashMap<>();
    private final List<ObservedReport> reports = new ArrayList<>();

    @Override
    public synchronized void accept(ObservedReport report) {
        reports.add(report);
        if (report.full()) {
            view.clear();
        }
        for (ObservedVm vm : report.vms()) {
            view.put(vm.vmId(), vm);
        }
    }

    public synchronized Optional<ObservedVm> vm(UUID vmId) {
        return Optional.ofNullable(view.get(vmId));
    }

    /** The VM's last reported power; {@code ABSENT} if no report names it. */
    public synchronized ObservedPower power(UUID vmId) {
        ObservedVm vm = view.get(vmId);
        return vm == null ? ObservedPower.ABSENT : vm.power();
    }

    public synchronized List<ObservedReport> reports() {
        return List.copyOf(reports);
    }

    public synchronized List<ObservedReport> fullReports() {
        return reports.stream().filter(ObservedReport::full).toList();
    }
}
