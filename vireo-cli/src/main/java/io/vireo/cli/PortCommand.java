package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.PortSpec;
import io.vireo.cli.client.PortView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo port ...}: points of attachment to networks, each with a MAC and an IPv4 address. */
@Command(name = "port", description = "Create, list and delete ports on networks.")
final class PortCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    PortCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a port with a generated MAC and an IPv4 address.")
    int create(
            @Option(names = "--network", required = true, paramLabel = "NETWORK", description = "Its network.")
                    String network,
            @Option(
                            names = "--ip",
                            paramLabel = "ADDRESS",
                            description = "The address it must have (default: the next free one).")
                    @Nullable
                    String ip,
            @Option(names = "--name", paramLabel = "NAME", description = "A name, unique among the project's ports.")
                    @Nullable
                    String name,
            @Option(names = "--vm", paramLabel = "VM", description = "The VM that owns it (not plugged in yet).")
                    @Nullable
                    String vm,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(client.createPort(new PortSpec(network, name, ip, vm)), PortView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "list", description = "List ports.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.ports(), PortView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one port.")
    int show(
            @Parameters(paramLabel = "PORT", description = "Name or id of the port.") String nameOrId,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.port(nameOrId), PortView.class, port -> details(port, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a port no existing VM owns; its address is held back a while.")
    int delete(
            @Parameters(paramLabel = "PORT", description = "Name or id of the port.") String nameOrId,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "port", nameOrId, client.deletePort(nameOrId));
        }
        return 0;
    }

    static Table<PortView> table(Instant now) {
        return Table.of(
                Column.of("ID", PortView::id),
                Column.of("NAME", PortView::name),
                Column.of("NETWORK", PortView::network),
                Column.of("MAC", PortView::mac),
                Column.of("ADDRESSES", PortView::addresses),
                Column.of("VM", PortView::vmId),
                Column.of("AGE", port -> Ages.since(port.createdAt(), now)));
    }

    static Details details(PortView port, Instant now) {
        return new Details()
                .add("ID", port.id())
                .add("Name", port.name())
                .add("Project", port.project())
                .add("Network", port.network())
                .add("MAC", port.mac())
                .add("Addresses", port.addresses())
                .add("VM", port.vmId())
                .add("Created", Ages.withAge(port.createdAt(), now));
    }
}
