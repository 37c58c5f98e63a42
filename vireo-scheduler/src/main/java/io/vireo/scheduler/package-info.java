/** Placement: pure functions from a cluster snapshot and a request to a host choice, with explanations. No I/O. */
@NullMarked
package io.vireo.scheduler;

import org.jspecify.annotations.NullMarked;
