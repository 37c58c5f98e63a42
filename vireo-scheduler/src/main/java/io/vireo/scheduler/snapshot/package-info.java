/**
 * The cluster as the scheduler sees it: resource classes, per-host inventories, and {@link
 * io.vireo.scheduler.snapshot.ClusterSnapshot}, an immutable structure-of-arrays view of every host that derives a new
 * version cheaply after a claim. Pure data; no I/O, no clock.
 */
@NullMarked
package io.vireo.scheduler.snapshot;

import org.jspecify.annotations.NullMarked;
