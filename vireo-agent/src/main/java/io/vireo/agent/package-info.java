/** The host agent: connects to the server, converges the host's VMs on the desired set, reports what runs. */
@NullMarked
package io.vireo.agent;

import org.jspecify.annotations.NullMarked;
