/**
 * The scheduling framework, in the style of the Kubernetes scheduler: plugins at the extension points PreFilter,
 * Filter, Score and Reserve, ordered and weighted by a {@link io.vireo.scheduler.framework.Profile}, run over a
 * {@link io.vireo.scheduler.snapshot.ClusterSnapshot} by {@link io.vireo.scheduler.framework.SchedulingFramework}.
 * Outcomes are {@link io.vireo.scheduler.framework.Status} values and sealed outcome records, never exceptions.
 */
@NullMarked
package io.vireo.scheduler.framework;

import org.jspecify.annotations.NullMarked;
