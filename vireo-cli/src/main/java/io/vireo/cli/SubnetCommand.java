package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.SubnetSpec;
import io.vireo.cli.client.SubnetView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo subnet ...}: IPv4 (and IPv6) ranges of a network, from whose pools ports get addresses. */
@Command(name = "subnet", description = "Create, list and delete subnets of networks.")
final class SubnetCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    SubnetCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a subnet on a network.")
    int create(
            @Parameters(paramLabel = "NAME", description = "Name of the subnet.") String name,
            @Option(names = "--network", required = true, paramLabel = "NETWORK", description = "Its network.")
                    String network,
            @Option(
                            names = "--cidr",
                            required = true,
                            paramLabel = "CIDR",
                            description = "IPv4 CIDR, e.g. 10.0.0.0/24.")
                    String cidr,
            @Option(names = "--ipv6-cidr", paramLabel = "CIDR", description = "An IPv6 CIDR, e.g. fd00:1::/64.")
                    @Nullable
                    String ipv6Cidr,
            @Option(names = "--gateway", paramLabel = "ADDRESS", description = "Gateway (default: the first address).")
                    @Nullable
                    String gateway,
            @Option(names = "--no-gateway", description = "A subnet without a gateway.") boolean noGateway,
            @Option(names = "--dns", paramLabel = "ADDRESS", description = "A DNS server for its guests (repeatable).")
                    @Nullable
                    List<String> dns,
            @Option(
                            names = "--pool",
                            paramLabel = "START-END",
                            description = "An allocation pool (repeatable; default: every address but the gateway).")
                    @Nullable
                    List<String> pools,
            @Mixin ClientOptions options) {
        if (noGateway && gateway != null) {
            throw new CommandLine.ParameterException(
                    requireNonNull(spec, "spec is null").commandLine(),
                    "--gateway and --no-gateway exclude each other");
        }
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            SubnetSpec body = new SubnetSpec(
                    name,
                    network,
                    cidr,
                    ipv6Cidr,
                    gateway,
                    noGateway ? Boolean.TRUE : null,
                    dns == null ? List.of() : dns,
                    pools == null ? List.of() : pools);
            output.row(client.createSubnet(body), SubnetView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "list", description = "List subnets.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.subnets(), SubnetView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one subnet.")
    int show(
            @Parameters(paramLabel = "SUBNET", description = "Name of the subnet.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.subnet(name), SubnetView.class, subnet -> details(subnet, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a subnet none of whose addresses a port has.")
    int delete(
            @Parameters(paramLabel = "SUBNET", description = "Name of the subnet.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "subnet", name, client.deleteSubnet(name));
        }
        return 0;
    }

    static Table<SubnetView> table(Instant now) {
        return Table.of(
                Column.of("NAME", SubnetView::name),
                Column.of("NETWORK", SubnetView::network),
                Column.of("CIDR", SubnetView::cidr),
                Column.of("GATEWAY", SubnetView::gateway),
                Column.of("AGE", subnet -> Ages.since(subnet.createdAt(), now)));
    }

    static Details details(SubnetView subnet, Instant now) {
        return new Details()
                .add("Name", subnet.name())
                .add("ID", subnet.id())
                .add("Project", subnet.project())
                .add("Network", subnet.network())
                .add("CIDR", subnet.cidr())
                .add("IPv6 CIDR", subnet.ipv6Cidr())
                .add("Gateway", subnet.gateway() == null ? "none" : subnet.gateway())
                .add("DNS servers", joined(subnet.dnsServers()))
                .add("Pools", joined(subnet.pools()))
                .add("Created", Ages.withAge(subnet.createdAt(), now));
    }

    private static @Nullable String joined(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }
}
