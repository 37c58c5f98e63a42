package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** An IPv4 address of a port in one subnet; the store lets one address of a subnet belong to one port at most. */
public record FixedIp(UUID subnetId, Ipv4Address address) {
    public FixedIp {
        requireNonNull(subnetId, "subnetId is null");
        requireNonNull(address, "address is null");
    }
}
