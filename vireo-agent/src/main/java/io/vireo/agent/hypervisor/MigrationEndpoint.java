package io.vireo.agent.hypervisor;

import static java.util.Objects.requireNonNull;

/**
 * Where a destination listens for an incoming migration.
 *
 * @param host an IP address literal, never a name from a user
 * @param migrationPort the TCP port of QEMU's migration stream
 * @param diskPort the TCP port of the NBD server receiving the VM's disk, 0 if the VM has no disk to send
 */
public record MigrationEndpoint(String host, int migrationPort, int diskPort) {
    public MigrationEndpoint {
        requireNonNull(host, "host is null");
        if (!host.matches("[0-9a-fA-F.:]{2,45}")) {
            throw new IllegalArgumentException("host must be an IP address: " + host);
        }
        if (migrationPort < 1 || migrationPort > 65535) {
            throw new IllegalArgumentException("migrationPort must be 1..65535: " + migrationPort);
        }
        if (diskPort < 0 || diskPort > 65535) {
            throw new IllegalArgumentException("diskPort must be 0..65535: " + diskPort);
        }
    }

    /** {@code host} as it goes into a QEMU URI: an IPv6 address in brackets. */
    public String uriHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
