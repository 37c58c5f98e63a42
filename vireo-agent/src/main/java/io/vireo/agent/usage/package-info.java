/** How the agent measures its host's use for heartbeats: from {@code /proc}, or from the VMs' allocated sizes. */
@NullMarked
package io.vireo.agent.usage;

import org.jspecify.annotations.NullMarked;
