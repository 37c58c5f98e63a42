/**
 * {@code ./vireo bench control-plane}: a real {@code vireo server} process under thousands of simulated hosts (real
 * agent code over gRPC and mutual TLS, fake hypervisor) and an open-loop REST load, from a separate load process.
 * {@link io.vireo.sim.bench.controlplane.ControlPlaneBenchmark} is the composition root: every thread, executor and
 * client is made there.
 */
@NullMarked
package io.vireo.sim.bench.controlplane;

import org.jspecify.annotations.NullMarked;
