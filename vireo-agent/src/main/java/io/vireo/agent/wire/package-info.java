/**
 * Conversions between the agent protocol's protobuf messages ({@code io.vireo.proto.agent.v1}) and Vireo's domain model.
 * Shared by the agent and the server so that both ends read the wire the same way.
 */
@NullMarked
package io.vireo.agent.wire;

import org.jspecify.annotations.NullMarked;
