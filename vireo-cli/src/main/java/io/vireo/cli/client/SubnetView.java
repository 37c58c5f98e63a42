package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A subnet as the API shows it. */
public record SubnetView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable String network,
        @Nullable String networkId,
        @Nullable String cidr,
        @Nullable String ipv6Cidr,
        @Nullable String gateway,
        @Nullable List<String> dnsServers,
        @Nullable List<String> pools,
        @Nullable String createdAt) {
    public SubnetView {
        requireNonNull(name, "name is null");
    }
}
