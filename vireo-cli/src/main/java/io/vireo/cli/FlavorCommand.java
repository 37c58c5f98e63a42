package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.FlavorSpec;
import io.vireo.cli.client.FlavorView;
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

/** {@code vireo flavor ...}: named VM sizes. */
@Command(name = "flavor", description = "Manage flavors (VM sizes).")
final class FlavorCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    FlavorCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List flavors.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.flavors(), FlavorView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one flavor.")
    int show(
            @Parameters(paramLabel = "FLAVOR", description = "Name of the flavor.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.flavor(name), FlavorView.class, flavor -> details(flavor, output.now()));
        }
        return 0;
    }

    @Command(name = "create", description = "Create a flavor.")
    int create(
            @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the flavor.")
                    String name,
            @Option(names = "--vcpus", required = true, paramLabel = "N", description = "Virtual CPUs.") int vcpus,
            @Option(names = "--memory-mib", required = true, paramLabel = "MIB", description = "Memory in MiB.")
                    long memoryMib,
            @Option(names = "--disk-gib", required = true, paramLabel = "GIB", description = "Root disk in GiB.")
                    long diskGib,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(
                    client.createFlavor(new FlavorSpec(name, vcpus, memoryMib, diskGib)),
                    FlavorView.class,
                    table(output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a flavor that no VM uses.")
    int delete(
            @Parameters(paramLabel = "FLAVOR", description = "Name of the flavor.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "flavor", name, client.deleteFlavor(name));
        }
        return 0;
    }

    static Table<FlavorView> table(Instant now) {
        return Table.of(
                Column.of("NAME", FlavorView::name),
                Column.of("VCPUS", FlavorView::vcpus),
                Column.of("MEMORY_MIB", FlavorView::memoryMib),
                Column.of("DISK_GIB", FlavorView::diskGib),
                Column.of("AGE", flavor -> Ages.since(flavor.createdAt(), now)));
    }

    static Details details(FlavorView flavor, Instant now) {
        return new Details()
                .add("Name", flavor.name())
                .add("ID", flavor.id())
                .add("vCPUs", flavor.vcpus())
                .add("Memory", flavor.memoryMib() == null ? null : flavor.memoryMib() + " MiB")
                .add("Disk", flavor.diskGib() == null ? null : flavor.diskGib() + " GiB")
                .add("Created", Ages.withAge(flavor.createdAt(), now));
    }
}
