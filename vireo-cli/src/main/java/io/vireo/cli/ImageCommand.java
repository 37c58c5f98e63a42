package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.ImageView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Sizes;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo image ...}: the disk images VMs boot from. The launcher adds {@code build-test-guest} here. */
@Command(name = "image", description = "List and manage disk images.")
final class ImageCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    ImageCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List images.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.images(), ImageView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one image.")
    int show(
            @Parameters(paramLabel = "IMAGE", description = "Name of the image.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.image(name), ImageView.class, image -> details(image, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete an image.")
    int delete(
            @Parameters(paramLabel = "IMAGE", description = "Name of the image.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "image", name, client.deleteImage(name));
        }
        return 0;
    }

    static Table<ImageView> table(Instant now) {
        return Table.of(
                Column.of("NAME", ImageView::name),
                Column.of("FORMAT", ImageView::format),
                Column.of("SIZE", image -> Sizes.bytes(image.sizeBytes())),
                Column.of("AGE", image -> Ages.since(image.createdAt(), now)));
    }

    static Details details(ImageView image, Instant now) {
        return new Details()
                .add("Name", image.name())
                .add("ID", image.id())
                .add("Project", image.project())
                .add("Format", image.format())
                .add(
                        "Size",
                        image.sizeBytes() == null
                                ? null
                                : Sizes.bytes(image.sizeBytes()) + " (" + image.sizeBytes() + " bytes)")
                .add("Created", Ages.withAge(image.createdAt(), now));
    }
}
