@NullMarked
package io.vireo.agent.wire;

import org.jspecify.annotations.NullMarked;
