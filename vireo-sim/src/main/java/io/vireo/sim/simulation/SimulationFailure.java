package io.vireo.sim.simulation;

/** The simulation itself could not go on (an operation blocked, or failed in a way nothing handles). */
final class SimulationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulationFailure(String message) {
        super(message);
    }

    SimulationFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
