package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.GroupSpec;
import io.vireo.cli.client.GroupView;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo group ...}: server groups, whose members are placed by an affinity or anti-affinity policy. */
@Command(name = "group", description = "Manage server groups (affinity and anti-affinity of VMs).")
final class GroupCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    GroupCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a server group; VMs join it with 'vm create --group'.")
    int create(
            @Parameters(paramLabel = "NAME", description = "Name of the group.") String name,
            @Option(
                            names = "--policy",
                            required = true,
                            paramLabel = "POLICY",
                            description = "affinity, anti-affinity, soft-affinity or soft-anti-affinity.")
                    String policy,
            @Option(
                            names = "--max-per-host",
                            paramLabel = "N",
                            description = "Anti-affinity policies: the most members on one host (default 1).")
                    @Nullable
                    Integer maxPerHost,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.row(
                    client.createGroup(new GroupSpec(name, policy, maxPerHost)), GroupView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "list", description = "List server groups.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.groups(), GroupView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one server group and its members.")
    int show(
            @Parameters(paramLabel = "GROUP", description = "Name of the group.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.group(name), GroupView.class, group -> details(group, output.now()));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a server group that has no live members.")
    int delete(
            @Parameters(paramLabel = "GROUP", description = "Name of the group.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            JsonNode answer = client.deleteGroup(name);
            Deletions.report(root.output(options), "group", name, answer);
        }
        return 0;
    }

    static Table<GroupView> table(Instant now) {
        return Table.of(
                Column.of("NAME", GroupView::name),
                Column.of("POLICY", GroupView::policy),
                Column.of("MAX_PER_HOST", GroupView::maxPerHost),
                Column.of("MEMBERS", GroupCommand::memberCount),
                Column.of("AGE", group -> Ages.since(group.createdAt(), now)));
    }

    private static @Nullable Integer memberCount(GroupView group) {
        List<String> members = group.members();
        return members == null ? null : members.size();
    }

    static Details details(GroupView group, Instant now) {
        List<String> members = group.members();
        return new Details()
                .add("Name", group.name())
                .add("ID", group.id())
                .add("Project", group.project())
                .add("Policy", group.policy())
                .add("Max per host", group.maxPerHost())
                .add("Members", members == null ? null : members.isEmpty() ? "-" : String.join(", ", members))
                .add("Created", Ages.withAge(group.createdAt(), now));
    }
}
