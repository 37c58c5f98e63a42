/**
 * The ports the controller needs: repositories implemented on PostgreSQL by vireo-store and in memory by
 * {@code io.vireo.store.memory} (module vireo-store-memory, for tests and the simulator), and the channel to host agents implemented by the server over gRPC.
 */
@NullMarked
package io.vireo.controller.port;

import org.jspecify.annotations.NullMarked;
