package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.ProjectView;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo project ...}: tenants; admins make and delete them. */
@Command(name = "project", description = "Manage projects (tenants).")
final class ProjectCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    ProjectCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List projects (your own; an admin sees all).")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.projects(), ProjectView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one project.")
    int show(
            @Parameters(paramLabel = "PROJECT", description = "Name of the project.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(
                    client.project(name),
                    ProjectView.class,
                    project -> new Details()
                            .add("Name", project.name())
                            .add("ID", project.id())
                            .add("Created", Ages.withAge(project.createdAt(), output.now())));
        }
        return 0;
    }

    @Command(name = "create", description = "Create a project (admins).")
    int create(
            @Parameters(paramLabel = "PROJECT", description = "Name of the project.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(client.createProject(name), ProjectView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a project that owns nothing any more (admins).")
    int delete(
            @Parameters(paramLabel = "PROJECT", description = "Name of the project.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "project", name, client.deleteProject(name));
        }
        return 0;
    }

    static Table<ProjectView> table(Instant now) {
        return Table.of(
                Column.of("NAME", ProjectView::name),
                Column.of("ID", ProjectView::id),
                Column.of("AGE", project -> Ages.since(project.createdAt(), now)));
    }
}
