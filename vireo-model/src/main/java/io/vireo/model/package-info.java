/**
 * Vireo's domain: immutable records for hosts, VMs, flavors, images, projects and events, and the VM lifecycle state
 * machine. Pure data and pure functions; no I/O.
 */
@NullMarked
package io.vireo.model;

import org.jspecify.annotations.NullMarked;
