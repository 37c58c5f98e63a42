@NullMarked
package io.vireo.sim.packing;

import org.jspecify.annotations.NullMarked;
