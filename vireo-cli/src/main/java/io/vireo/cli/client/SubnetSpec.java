package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /subnets}: what is null or empty is left to the server's defaults. */
public record SubnetSpec(
        String name,
        String network,
        String cidr,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ipv6Cidr,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String gateway,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean noGateway,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dnsServers,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> pools) {
    public SubnetSpec {
        requireNonNull(name, "name is null");
        requireNonNull(network, "network is null");
        requireNonNull(cidr, "cidr is null");
        dnsServers = List.copyOf(dnsServers);
        pools = List.copyOf(pools);
    }
}
