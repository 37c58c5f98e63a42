@NullMarked
package io.vireo.sim.workload;

import org.jspecify.annotations.NullMarked;
