@NullMarked
package io.vireo.agent.fake;

import org.jspecify.annotations.NullMarked;
