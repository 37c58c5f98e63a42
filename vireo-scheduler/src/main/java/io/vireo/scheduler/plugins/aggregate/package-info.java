/** The Aggregate filter: required and forbidden host aggregates (labels an operator puts on groups of hosts). */
@NullMarked
package io.vireo.scheduler.plugins.aggregate;

import org.jspecify.annotations.NullMarked;
