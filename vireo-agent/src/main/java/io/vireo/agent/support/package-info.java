/** Small helpers shared by the agent's packages: atomic JSON state files and capped exponential backoff. */
@NullMarked
package io.vireo.agent.support;

import org.jspecify.annotations.NullMarked;
