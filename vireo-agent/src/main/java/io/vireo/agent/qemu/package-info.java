/** The QEMU hypervisor driver: QMP client, one daemonised QEMU process per VM. (Full description below, later.) */
@NullMarked
package io.vireo.agent.qemu;

import org.jspecify.annotations.NullMarked;
