@NullMarked
package io.vireo.agent.usage;

import org.jspecify.annotations.NullMarked;
