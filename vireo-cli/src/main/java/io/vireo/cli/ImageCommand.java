package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.ImageSpec;
import io.vireo.cli.client.ImageView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Sizes;
import io.vireo.cli.output.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    /** How long an upload may take; images are big and links slow. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofHours(2);

    @Command(
            name = "create",
            description = "Create a qcow2 or raw image and upload its file (streamed). The server checks the"
                    + " SHA-256 and inspects the image: it becomes ACTIVE, or is rejected with the reason.")
    int create(
            @Parameters(paramLabel = "NAME", description = "Name of the new image.") String name,
            @Option(names = "--file", required = true, paramLabel = "PATH", description = "The image file to upload.")
                    Path file,
            @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "qcow2 or raw.")
                    String format,
            @Option(
                            names = "--sha256",
                            paramLabel = "HEX",
                            description = "The SHA-256 the file must have; the server refuses other bytes.")
                    @Nullable
                    String sha256,
            @Mixin ClientOptions options) {
        if (!format.equals("qcow2") && !format.equals("raw")) {
            throw usageError("--format must be qcow2 or raw, not '" + format + "'");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw usageError("--file " + file + " is not a readable file");
        }
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            client.createImage(new ImageSpec(name, format), sha256);
            output.object(
                    client.uploadImage(name, file, UPLOAD_TIMEOUT),
                    ImageView.class,
                    image -> details(image, output.now()));
        }
        return 0;
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
                Column.of("STATUS", ImageView::status),
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
                .add("Status", image.status())
                .add(
                        "Reason",
                        image.statusReason() == null || image.statusReason().isEmpty() ? null : image.statusReason())
                .add("SHA-256", image.sha256())
                .add("Created", Ages.withAge(image.createdAt(), now));
    }

    private ParameterException usageError(String message) {
        return new ParameterException(
                requireNonNull(spec, "spec is null (injected by picocli)").commandLine(), message);
    }
}
