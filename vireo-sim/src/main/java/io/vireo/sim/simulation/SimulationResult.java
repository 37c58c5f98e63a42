package io.vireo.sim.simulation;

import io.vireo.model.MigrationState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one seed's run did: events run, simulated and wall time, the trace hash (equal for equal seeds and options,
 * in any JVM), which faults fired, which invariants were checked on non-empty state, and the first violation if any
 * (with the fault-phase length that shows it: the event at which it happened, or the whole fault phase for a
 * convergence failure found at the end), and the last events and notes before the run ended.
 */
record SimulationResult(
        long seed,
        SimulationOptions options,
        long events,
        long simulatedMillis,
        long wallMillis,
        long traceHash,
        Map<FaultKind, Integer> faultsFired,
        Map<Invariants.Name, Long> checked,
        Optional<Invariants.Violation> violation,
        long violationAtEvent,
        Map<MigrationState, Long> migrations,
        Map<String, Long> ha,
        List<String> lastEvents) {

    boolean passed() {
        return violation.isEmpty();
    }

    String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "seed %d: %s, %d events, %.1f s simulated in %.2f s, trace %016x, faults %s, checked %s, migrations %s,"
                        + " ha %s",
                seed,
                violation
                        .map(v -> "FAILED " + v.invariant() + " at event " + violationAtEvent + ": " + v.message())
                        .orElse("ok"),
                events,
                simulatedMillis / 1000.0,
                wallMillis / 1000.0,
                traceHash,
                faultsFired,
                checked,
                migrations,
                ha);
    }
}
