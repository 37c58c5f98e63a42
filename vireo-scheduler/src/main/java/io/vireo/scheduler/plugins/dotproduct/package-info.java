/** The DotProduct scorer: Tetris-style alignment of the request with each host's free resources. */
@NullMarked
package io.vireo.scheduler.plugins.dotproduct;

import org.jspecify.annotations.NullMarked;
