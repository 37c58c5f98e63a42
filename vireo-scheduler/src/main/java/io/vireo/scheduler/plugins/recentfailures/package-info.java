/** The AvoidRecentFailures scorer: prefers hosts where fewer recent placements failed. */
@NullMarked
package io.vireo.scheduler.plugins.recentfailures;

import org.jspecify.annotations.NullMarked;
