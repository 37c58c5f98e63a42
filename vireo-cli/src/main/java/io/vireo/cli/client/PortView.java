package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A port as the API shows it. */
public record PortView(
        String id,
        @Nullable String name,
        @Nullable String project,
        @Nullable String network,
        @Nullable String networkId,
        @Nullable String mac,
        @Nullable String vmId,
        @Nullable List<FixedIp> fixedIps,
        @Nullable String createdAt) {
    public PortView {
        requireNonNull(id, "id is null");
    }

    /** An address of the port in one subnet. */
    public record FixedIp(
            @Nullable String subnetId, @Nullable String address) {}

    /** The port's addresses, comma-separated; null if it has none. */
    public @Nullable String addresses() {
        List<FixedIp> ips = fixedIps;
        if (ips == null || ips.isEmpty()) {
            return null;
        }
        return String.join(
                ", ", ips.stream().map(ip -> String.valueOf(ip.address())).toList());
    }
}
