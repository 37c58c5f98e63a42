/** Helpers shared by in-tree plugins: matching label bitsets. */
@NullMarked
package io.vireo.scheduler.plugins.helper;

import org.jspecify.annotations.NullMarked;
