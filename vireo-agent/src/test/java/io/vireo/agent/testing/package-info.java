/** Hand-written test doubles and builders for the agent's tests. */
@NullMarked
package io.vireo.agent.testing;

import org.jspecify.annotations.NullMarked;
