package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.NetworkSpec;
import io.vireo.cli.client.NetworkView;
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

/** {@code vireo network ...}: virtual networks of the project, with {@code vireo subnet} and {@code vireo port}. */
@Command(name = "network", description = "Create, list and delete virtual networks.")
final class NetworkCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    NetworkCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a network; the server chooses its VNI.")
    int create(
            @Parameters(paramLabel = "NAME", description = "Name of the network.") String name,
            @Option(names = "--mtu", paramLabel = "BYTES", description = "MTU given to its guests (default 1450).")
                    @Nullable
                    Integer mtu,
            @Option(names = "--external", description = "Reserved for provider networks; not acted on yet.")
                    boolean external,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            NetworkSpec body = new NetworkSpec(name, mtu, external ? Boolean.TRUE : null);
            output.row(client.createNetwork(body), NetworkView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "list", description = "List networks.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.networks(), NetworkView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one network.")
    int show(
            @Parameters(paramLabel = "NETWORK", description = "Name of the network.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.network(name), NetworkView.class, network -> details(network, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a network without ports, with its subnets.")
    int delete(
            @Parameters(paramLabel = "NETWORK", description = "Name of the network.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "network", name, client.deleteNetwork(name));
        }
        return 0;
    }

    static Table<NetworkView> table(Instant now) {
        return Table.of(
                Column.of("NAME", NetworkView::name),
                Column.of("VNI", NetworkView::vni),
                Column.of("MTU", NetworkView::mtu),
                Column.of("AGE", network -> Ages.since(network.createdAt(), now)));
    }

    static Details details(NetworkView network, Instant now) {
        return new Details()
                .add("Name", network.name())
                .add("ID", network.id())
                .add("Project", network.project())
                .add("VNI", network.vni())
                .add("MTU", network.mtu())
                .add("External", network.external() == null ? null : network.external() ? "yes" : "no")
                .add("Created", Ages.withAge(network.createdAt(), now));
    }
}
