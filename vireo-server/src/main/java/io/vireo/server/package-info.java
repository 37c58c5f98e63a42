/** The composition root: configuration, wiring of every module, the gRPC server and the launcher. */
@NullMarked
package io.vireo.server;

import org.jspecify.annotations.NullMarked;
