/** JMH benchmarks of the scheduler's hot path; see the module README for how to run them. Not tests. */
@NullMarked
package io.vireo.scheduler.bench;

import org.jspecify.annotations.NullMarked;
