/** The Traits filter: required and forbidden host traits such as {@code cpu.avx2}. */
@NullMarked
package io.vireo.scheduler.plugins.traits;

import org.jspecify.annotations.NullMarked;
