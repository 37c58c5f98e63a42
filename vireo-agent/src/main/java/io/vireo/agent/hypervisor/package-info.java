/** The hypervisor SPI: what the agent needs of a driver. Implemented by the QEMU driver and the fake driver. */
@NullMarked
package io.vireo.agent.hypervisor;

import org.jspecify.annotations.NullMarked;
