/**
 * The fake hypervisor driver: VMs that exist only as small records in memory and on disk, so that one process can
 * host thousands of them for tests, the simulator and the all-in-one {@code vireo up}.
 */
@NullMarked
package io.vireo.agent.fake;

import org.jspecify.annotations.NullMarked;
