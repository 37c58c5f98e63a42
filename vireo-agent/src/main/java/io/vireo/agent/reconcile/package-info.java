/**
 * The host reconciler: holds the desired set of VMs sent by the server, drives the hypervisor driver until what runs
 * matches it, and reports what it observes. {@link io.vireo.agent.reconcile.VmPlanner} is the pure decision;
 * {@link io.vireo.agent.reconcile.VmReconciler} is the loop around it.
 */
@NullMarked
package io.vireo.agent.reconcile;

import org.jspecify.annotations.NullMarked;
