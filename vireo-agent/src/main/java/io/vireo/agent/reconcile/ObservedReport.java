package io.vireo.agent.reconcile;

import io.vireo.model.ObservedVm;
import java.util.List;

/**
 * What the reconciler tells the server. {@code full}: {@code vms} is every VM the agent knows (managed or not, plus
 * desired VMs that are absent); otherwise only the VMs whose observed state changed since the last report.
 */
public record ObservedReport(boolean full, List<ObservedVm> vms) {
    public ObservedReport {
        vms = List.copyOf(vms);
    }
}
