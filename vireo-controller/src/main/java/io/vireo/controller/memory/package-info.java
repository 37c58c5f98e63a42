/** In-memory implementations of the controller's store ports, for unit tests and the simulator. */
@NullMarked
package io.vireo.controller.memory;

import org.jspecify.annotations.NullMarked;
