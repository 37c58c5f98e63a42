@NullMarked
package io.vireo.agent.guard;

import org.jspecify.annotations.NullMarked;
