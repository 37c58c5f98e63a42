@NullMarked
package io.vireo.sim.bench;

import org.jspecify.annotations.NullMarked;
