package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A point of attachment to a network (ADR 23): a MAC address unique in the network and the IPv4 addresses the store
 * allocated to it, each unique in its subnet. A name, if given, is unique in the project.
 *
 * @param vmId the VM that owns it, or null for a port of no VM
 */
public record Port(
        UUID id,
        UUID projectId,
        UUID networkId,
        @Nullable String name,
        Instant createdAt,
        MacAddress mac,
        @Nullable UUID vmId,
        List<FixedIp> fixedIps) {
    public Port {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(networkId, "networkId is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(mac, "mac is null");
        fixedIps = List.copyOf(fixedIps);
    }

    /** This port with {@code addresses}. */
    public Port withFixedIps(List<FixedIp> addresses) {
        return new Port(id, projectId, networkId, name, createdAt, mac, vmId, addresses);
    }
}
