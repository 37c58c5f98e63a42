package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.UserSpec;
import io.vireo.cli.client.UserView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo user ...}: people and service accounts; project admins manage their project's. */
@Command(name = "user", description = "Manage users and service accounts.")
final class UserCommand implements Callable<Integer> {
    static final String NEW_PASSWORD_VARIABLE = "VIREO_NEW_PASSWORD";

    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    UserCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List your project's users (an admin: every user).")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.users(), UserView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one user.")
    int show(
            @Parameters(paramLabel = "USER", description = "Name of the user.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(
                    client.user(name),
                    UserView.class,
                    user -> new Details()
                            .add("Name", user.name())
                            .add("ID", user.id())
                            .add("Project", user.project())
                            .add("Role", user.role())
                            .add("Kind", kind(user))
                            .add("Created", Ages.withAge(user.createdAt(), output.now())));
        }
        return 0;
    }

    @Command(
            name = "create",
            description = {
                "Create a person (with a password) or a service account (--service-account, no password).",
                "The role is at most your own: admin, project-admin, member or reader. The user joins your",
                "project, or the one an admin names with --project."
            })
    int create(
            @Parameters(paramLabel = "USER", description = "Name of the user, unique across the cloud.") String name,
            @Option(names = "--role", required = true, paramLabel = "ROLE", description = "project-admin, member, ...")
                    String role,
            @Option(names = "--service-account", description = "A service account: API tokens only, no password.")
                    boolean serviceAccount,
            @Option(
                            names = "--password-file",
                            paramLabel = "FILE",
                            description = "A person's password, from FILE's first line (else $VIREO_NEW_PASSWORD,"
                                    + " else a prompt).")
                    @Nullable
                    Path passwordFile,
            @Mixin ClientOptions options) {
        String password = serviceAccount
                ? null
                : Passwords.read(
                        passwordFile,
                        root.environment().variables(),
                        NEW_PASSWORD_VARIABLE,
                        "Password for the new user " + name + ": ");
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(
                    // the user joins the project acted in: one's own, or the one an admin names with --project
                    client.createUser(new UserSpec(name, role, null, password, serviceAccount)),
                    UserView.class,
                    table(output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a user; their tokens stop working at once.")
    int delete(
            @Parameters(paramLabel = "USER", description = "Name of the user.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "user", name, client.deleteUser(name));
        }
        return 0;
    }

    private static String kind(UserView user) {
        return Boolean.TRUE.equals(user.serviceAccount()) ? "service account" : "person";
    }

    static Table<UserView> table(Instant now) {
        return Table.of(
                Column.of("NAME", UserView::name),
                Column.of("ROLE", UserView::role),
                Column.of("KIND", UserCommand::kind),
                Column.of("PROJECT", UserView::project),
                Column.of("AGE", user -> Ages.since(user.createdAt(), now)));
    }
}
