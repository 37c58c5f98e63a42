package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.HostDrainView;
import io.vireo.cli.client.HostView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vireo host ...}: the hypervisor hosts, what they have allocated, and their capacity policy; join tokens for
 * new hosts' agents.
 */
@Command(
        name = "host",
        description = "List and show hypervisor hosts; set their overcommit; drain and delete them; make join tokens"
                + " for their agents.")
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

    @Command(
            name = "set-capacity-policy",
            description = "Set the host's allocation ratios (overcommit) and reserved amounts; options left out keep"
                    + " their current value. Each reserved amount must be zero or below the host's total of its class."
                    + " Refused if more is allocated than the new policy allows.")
    int setCapacityPolicy(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Option(names = "--cpu-ratio", paramLabel = "RATIO", description = "vCPU allocation ratio, (0, 1000].")
                    @Nullable
                    Double cpuRatio,
            @Option(names = "--ram-ratio", paramLabel = "RATIO", description = "Memory allocation ratio, (0, 1000].")
                    @Nullable
                    Double ramRatio,
            @Option(names = "--disk-ratio", paramLabel = "RATIO", description = "Disk allocation ratio, (0, 1000].")
                    @Nullable
                    Double diskRatio,
            @Option(names = "--reserved-vcpus", paramLabel = "N", description = "vCPUs the host keeps for itself.")
                    @Nullable
                    Long reservedVcpus,
            @Option(
                            names = "--reserved-memory-mib",
                            paramLabel = "MIB",
                            description = "MiB of memory the host keeps for itself.")
                    @Nullable
                    Long reservedMemoryMib,
            @Option(
                            names = "--reserved-disk-gib",
                            paramLabel = "GIB",
                            description = "GiB of disk the host keeps for itself.")
                    @Nullable
                    Long reservedDiskGib,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            JsonNode current = client.host(name).path("capacityPolicy");
            JsonNode reserved = current.path("reserved");
            JsonNode ratios = current.path("allocationRatios");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(
                    "reserved",
                    Map.of(
                            "vcpus", or(reservedVcpus, reserved.path("vcpus").asLong()),
                            "memoryMib",
                                    or(
                                            reservedMemoryMib,
                                            reserved.path("memoryMib").asLong()),
                            "diskGib",
                                    or(reservedDiskGib, reserved.path("diskGib").asLong())));
            body.put(
                    "allocationRatios",
                    Map.of(
                            "vcpu", or(cpuRatio, ratios.path("vcpu").asDouble()),
                            "memory", or(ramRatio, ratios.path("memory").asDouble()),
                            "disk", or(diskRatio, ratios.path("disk").asDouble())));
            Output output = root.output(options);
            output.object(
                    client.setHostCapacityPolicy(name, body), HostView.class, host -> details(host, output.now()));
        }
        return 0;
    }

    @Command(
            name = "reset-capacity-policy",
            description = "Drop the host's own capacity policy: it takes the server's defaults again, with the"
                    + " reservations its agent reports in place of the default's. Refused if more is allocated than"
                    + " they allow.")
    int resetCapacityPolicy(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            client.resetHostCapacityPolicy(name);
            Output output = root.output(options);
            output.object(client.host(name), HostView.class, host -> details(host, output.now()));
        }
        return 0;
    }

    @Command(
            name = "maintenance",
            description = "Take the host out of placement (on: no new VM goes there; its VMs keep running) or put it"
                    + " back (off).")
    int maintenance(
            @Parameters(index = "0", paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Parameters(index = "1", paramLabel = "on|off", description = "on or off.") String onOff,
            @Mixin ClientOptions options) {
        boolean on = switch (onOff) {
            case "on" -> true;
            case "off" -> false;
            default ->
                throw new ParameterException(
                        requireNonNull(spec, "spec").commandLine(), "expected on or off, got '" + onOff + "'");
        };
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.setHostMaintenance(name, on), HostView.class, host -> details(host, output.now()));
        }
        return 0;
    }

    @Command(
            name = "evacuate",
            description = "Confirm that a DOWN or SUSPECT host is off (powered down, or gone for good): it becomes"
                    + " FENCED and its VMs are restarted elsewhere by their HA policy. Only for a host known to be off:"
                    + " its VMs would otherwise run twice until it reconnects.")
    int evacuate(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.evacuateHost(name), HostView.class, host -> details(host, output.now()));
        }
        return 0;
    }

    @Command(
            name = "drain",
            description = "Empty the host: it goes into MAINTENANCE (no new VM) and its running VMs are live-migrated"
                    + " away, two at a time, to hosts the scheduler picks; the drain ends by itself when no VM is left."
                    + " Stopped VMs are not moved: they keep the drain open until started, deleted or the drain is"
                    + " cancelled. Shows the drain's progress; --status only shows it, --cancel stops it.")
    int drain(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Option(names = "--status", description = "Only show how far the host's drain is.") boolean status,
            @Option(names = "--cancel", description = "Stop draining (the host stays in MAINTENANCE).") boolean cancel,
            @Mixin ClientOptions options) {
        if (status && cancel) {
            throw new ParameterException(requireNonNull(spec).commandLine(), "give --status or --cancel, not both");
        }
        String method = status ? "GET" : cancel ? "DELETE" : "POST";
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.hostDrain(method, name), HostDrainView.class, HostCommand::drainDetails);
        }
        return 0;
    }

    @Command(
            name = "delete",
            description = "Delete a host that is empty and out of service: in MAINTENANCE, DOWN or FENCED, with no VM"
                    + " on it, no migration to or from it, no open drain and no volume holding data there (drain it"
                    + " first). Its agent is refused from then on; the host stays in the history, and its name can be"
                    + " enrolled again as a new host.")
    int delete(
            @Parameters(paramLabel = "HOST", description = "Name or id of the host.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "host", name, client.deleteHost(name));
        }
        return 0;
    }

    static Details drainDetails(HostDrainView drain) {
        Details details = new Details()
                .add("Draining", drain.draining() ? "yes" : "no")
                .add("Requested", drain.requestedAt())
                .add("Correlation id", drain.correlationId())
                .add("VMs on host", drain.vmsOnHost())
                .add("Migrating", drain.migrating());
        requireNonNull(drain.waiting()).forEach((vm, reason) -> details.add("Waiting: " + vm, reason));
        return details;
    }

    private static <T> T or(@Nullable T given, T current) {
        return given != null ? given : current;
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
                .add(
                        "vCPUs",
                        resource(
                                host, HostView.Resources::vcpus, HostView.Ratios::vcpu, HostView.ReservedBy::vcpus, ""))
                .add(
                        "Memory",
                        resource(
                                host,
                                HostView.Resources::memoryMib,
                                HostView.Ratios::memory,
                                HostView.ReservedBy::memoryMib,
                                " MiB"))
                .add(
                        "Disk",
                        resource(
                                host,
                                HostView.Resources::diskGib,
                                HostView.Ratios::disk,
                                HostView.ReservedBy::diskGib,
                                " GiB"))
                .add("Capacity policy", policySource(host))
                .add("Capacity note", host.capacityNote())
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

    /**
     * {@code allocated/effective capacity} of one resource ({@code allocated/capacity} from a server that sends no
     * effective capacity), {@code -} for a side the server did not send.
     */
    private static String fraction(HostView host, Function<HostView.Resources, @Nullable Long> of) {
        HostView.Resources limit = host.effectiveCapacity() != null ? host.effectiveCapacity() : host.capacity();
        return value(host.allocated(), of) + "/" + value(limit, of);
    }

    /** {@code 3/60 allocated (total 16, reserved 1, ratio 4.0)}: one resource class of {@code host show}. */
    private static String resource(
            HostView host,
            Function<HostView.Resources, @Nullable Long> of,
            Function<HostView.Ratios, @Nullable Double> ratioOf,
            Function<HostView.ReservedBy, @Nullable String> byOf,
            String unit) {
        HostView.CapacityPolicy policy = host.capacityPolicy();
        HostView.Ratios ratios = policy == null ? null : policy.allocationRatios();
        Double ratio = ratios == null ? null : ratioOf.apply(ratios);
        return fraction(host, of) + unit + " allocated (total " + value(host.capacity(), of) + ", reserved "
                + value(policy == null ? null : policy.reserved(), of)
                + (AGENT.equals(reservedBy(policy, byOf)) ? " by its agent" : "") + ", ratio "
                + (ratio == null ? "-" : ratio.toString()) + ")";
    }

    private static final String AGENT = "agent";

    private static @Nullable String reservedBy(
            HostView.@Nullable CapacityPolicy policy, Function<HostView.ReservedBy, @Nullable String> byOf) {
        HostView.ReservedBy by = policy == null ? null : policy.reservedBy();
        return by == null ? null : byOf.apply(by);
    }

    private static @Nullable String policySource(HostView host) {
        HostView.CapacityPolicy policy = host.capacityPolicy();
        if (policy == null || policy.overridden() == null) {
            return null;
        }
        if (policy.overridden()) {
            return "set for this host";
        }
        List<String> agentClasses = new ArrayList<>();
        HostView.ReservedBy by = policy.reservedBy();
        if (by != null) {
            if (AGENT.equals(by.vcpus())) {
                agentClasses.add("vCPUs");
            }
            if (AGENT.equals(by.memoryMib())) {
                agentClasses.add("memory");
            }
            if (AGENT.equals(by.diskGib())) {
                agentClasses.add("disk");
            }
        }
        return agentClasses.isEmpty()
                ? "the server's default"
                : "the server's default, with the " + String.join(", ", agentClasses)
                        + " reservation its agent reports";
    }

    private static String value(
            HostView.@Nullable Resources resources, Function<HostView.Resources, @Nullable Long> of) {
        Long value = resources == null ? null : of.apply(resources);
        return value == null ? "-" : value.toString();
    }
}
