/**
 * The deterministic simulator: the real controller and agents on one virtual clock, one seeded random generator, a
 * simulated network and store faults, with invariants checked after every event (ADR 13).
 */
@NullMarked
package io.vireo.sim.simulation;

import org.jspecify.annotations.NullMarked;
