/** The BalancedResources scorer: prefers hosts whose classes end up equally used. */
@NullMarked
package io.vireo.scheduler.plugins.balancedresources;

import org.jspecify.annotations.NullMarked;
