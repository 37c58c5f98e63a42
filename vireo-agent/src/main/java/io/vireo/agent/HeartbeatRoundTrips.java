package io.vireo.agent;

import java.time.Duration;

/**
 * Hears, for each heartbeat, how long the server took to acknowledge it: from sending it to the arrival of its
 * {@code HeartbeatAck}, which the server sends once it has recorded the heartbeat. An agent given one asks the server
 * for acknowledgements when it registers; an agent without one asks for none (a server that does not know them sends
 * none either, and nothing is heard).
 *
 * <p>Called on a transport thread, once per acknowledged heartbeat: implementations must be thread-safe and must not
 * block.
 */
@FunctionalInterface
public interface HeartbeatRoundTrips {
    /** The heartbeat of {@code host} sent {@code roundTrip} ago is recorded by the server. */
    void acknowledged(String host, Duration roundTrip);
}
