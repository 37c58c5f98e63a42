/**
 * The controller's store ports in memory, for tests and the simulator; never in the product's wiring (the layering test
 * checks that no product code depends on this package). {@link io.vireo.store.memory.InMemoryStore} builds one
 * repository per port over one {@link io.vireo.store.memory.MemoryState} and its one lock.
 */
@NullMarked
package io.vireo.store.memory;

import org.jspecify.annotations.NullMarked;
