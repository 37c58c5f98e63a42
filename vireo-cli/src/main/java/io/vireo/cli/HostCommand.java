package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.HostView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo host ...}: the hypervisor hosts and what they have allocated. */
@Command(name = "host", description = "List and show hypervisor hosts.")
final class HostCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    HostCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List hosts with allocated/capacity of each resource.")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.hosts(), HostView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one host.")
    int show(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.host(name), HostView.class, host -> details(host, output.now()));
        }
        return 0;
    }

    static Table<HostView> table(Instant now) {
        return Table.of(
                Column.of("NAME", HostView::name),
                Column.of("STATE", HostView::state),
                Column.of("DRIVER", HostView::driver),
                Column.of(
                        "VMS",
                        host -> host.usage() == null ? null : host.usage().runningVms()),
                Column.of("VCPUS", host -> fraction(host, HostView.Resources::vcpus)),
                Column.of("MEMORY_MIB", host -> fraction(host, HostView.Resources::memoryMib)),
                Column.of("DISK_GIB", host -> fraction(host, HostView.Resources::diskGib)),
                Column.of("HEARTBEAT", host -> Ages.since(host.lastHeartbeatAt(), now)));
    }

    static Details details(HostView host, Instant now) {
        HostView.Usage usage = host.usage();
        return new Details()
                .add("Name", host.name())
                .add("ID", host.id())
                .add("State", host.state())
                .add("Driver", host.driver())
                .add("Capabilities", host.capabilities() == null ? null : String.join(", ", host.capabilities()))
                .add("vCPUs", fraction(host, HostView.Resources::vcpus) + " allocated")
                .add("Memory", fraction(host, HostView.Resources::memoryMib) + " MiB allocated")
                .add("Disk", fraction(host, HostView.Resources::diskGib) + " GiB allocated")
                .add(
                        "CPU used",
                        usage == null || usage.cpuPercent() == null
                                ? null
                                : String.format(Locale.ROOT, "%.1f%%", usage.cpuPercent()))
                .add("Memory used", usage == null ? null : usage.memoryUsedMib() + " MiB")
                .add("Disk used", usage == null ? null : usage.diskUsedGib() + " GiB")
                .add("Running VMs", usage == null ? null : usage.runningVms())
                .add("Last heartbeat", Ages.withAge(host.lastHeartbeatAt(), now))
                .add("Created", Ages.withAge(host.createdAt(), now));
    }

    /** {@code allocated/capacity} of one resource, {@code -} for a side the server did not send. */
    private static String fraction(HostView host, Function<HostView.Resources, @Nullable Long> of) {
        return value(host.allocated(), of) + "/" + value(host.capacity(), of);
    }

    private static String value(
            HostView.@Nullable Resources resources, Function<HostView.Resources, @Nullable Long> of) {
        Long value = resources == null ? null : of.apply(resources);
        return value == null ? "-" : value.toString();
    }
}
