@NullMarked
package io.vireo.sim.cloudsim;

import org.jspecify.annotations.NullMarked;
