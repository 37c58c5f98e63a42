/** The Pack scorer: prefers the most allocated hosts. */
@NullMarked
package io.vireo.scheduler.plugins.pack;

import org.jspecify.annotations.NullMarked;
