@NullMarked
package io.vireo.agent.support;

import org.jspecify.annotations.NullMarked;
