package io.vireo.agent.reconcile;

/**
 * Receives the reconciler's reports, in order, on the reconciler's loop thread: an implementation must return quickly
 * and never block on the reconciler. It may drop a report it cannot send as long as it asks for a full report later
 * ({@link VmReconciler#requestFullReport()}).
 */
@FunctionalInterface
public interface ReportSink {
    ReportSink DISCARD = report -> {};

    void accept(ObservedReport report);
}
