/**
 * The fence guard (ADR 19): what holds a host's lease and ends the host's instances when the host is cut off past the
 * fence deadline, independent of the agent.
 */
@NullMarked
package io.vireo.agent.guard;

import org.jspecify.annotations.NullMarked;
