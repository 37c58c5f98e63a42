package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.VireoClient;
import io.vireo.cli.client.VolumeSpec;
import io.vireo.cli.client.VolumeView;
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

/** {@code vireo volume ...}: data volumes, attached with {@code vireo vm create --volume NAME}. */
@Command(name = "volume", description = "Create, list and delete data volumes.")
final class VolumeCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    VolumeCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a blank data volume.")
    int create(
            @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the volume.")
                    String name,
            @Option(names = "--size-gib", required = true, paramLabel = "GIB", description = "Size in GiB.")
                    long sizeGib,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(client.createVolume(new VolumeSpec(name, sizeGib)), VolumeView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "list", description = "List volumes.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.volumes(), VolumeView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one volume.")
    int show(
            @Parameters(paramLabel = "VOLUME", description = "Name of the volume.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.volume(name), VolumeView.class, volume -> details(volume, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a volume that is not attached to a VM.")
    int delete(
            @Parameters(paramLabel = "VOLUME", description = "Name of the volume.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "volume", name, client.deleteVolume(name));
        }
        return 0;
    }

    static Table<VolumeView> table(Instant now) {
        return Table.of(
                Column.of("NAME", VolumeView::name),
                Column.of("SIZE", volume -> volume.sizeGib() == null ? null : volume.sizeGib() + " GiB"),
                Column.of("STATUS", VolumeView::status),
                Column.of("VM", VolumeView::vmId),
                Column.of("HOST", VolumeView::host),
                Column.of("AGE", volume -> Ages.since(volume.createdAt(), now)));
    }

    static Details details(VolumeView volume, Instant now) {
        return new Details()
                .add("Name", volume.name())
                .add("ID", volume.id())
                .add("Project", volume.project())
                .add("Size", volume.sizeGib() == null ? null : volume.sizeGib() + " GiB")
                .add("Status", volume.status())
                .add("VM", volume.vmId())
                .add(
                        "Delete with VM",
                        volume.deleteOnTermination() == null ? null : volume.deleteOnTermination() ? "yes" : "no")
                .add("Host", volume.host() == null ? volume.hostId() : volume.host() + " (" + volume.hostId() + ")")
                .add("Created", Ages.withAge(volume.createdAt(), now));
    }
}
