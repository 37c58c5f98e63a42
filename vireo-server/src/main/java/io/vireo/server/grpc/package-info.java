/** The server side of the agent protocol over gRPC: sessions, authentication, the controller's agent gateway. */
@NullMarked
package io.vireo.server.grpc;

import org.jspecify.annotations.NullMarked;
