/** The Spread scorer: prefers the least allocated hosts. */
@NullMarked
package io.vireo.scheduler.plugins.spread;

import org.jspecify.annotations.NullMarked;
