package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.cli.client.CliException;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.client.VmAction;
import io.vireo.cli.client.VmSpec;
import io.vireo.cli.client.VmStatsView;
import io.vireo.cli.client.VmView;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;
import io.vireo.cli.output.Table;
import io.vireo.cli.output.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo vm ...}: create, list, show and control VMs. */
@Command(name = "vm", description = "Create, list and control virtual machines.")
final class VmCommand implements Callable<Integer> {
    private static final String RUNNING = "RUNNING";
    private static final String STOPPED = "STOPPED";
    private static final String PAUSED = "PAUSED";
    /** The most console bytes one request asks for; the server's limit too. */
    static final int MAX_CONSOLE_BYTES = 1024 * 1024;
    /** How much of the console log {@code console-log} shows unless asked otherwise. */
    static final int DEFAULT_CONSOLE_TAIL_BYTES = 64 * 1024;
    /** How often {@code console-log --follow} asks for more. */
    static final Duration CONSOLE_POLL_INTERVAL = Duration.ofSeconds(1);

    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    VmCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "create", description = "Create a VM; it starts as soon as a host is found.")
    int create(
            @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the new VM.")
                    String name,
            @Option(names = "--flavor", required = true, paramLabel = "FLAVOR", description = "Flavor (size).")
                    String flavor,
            @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "Image to boot.")
                    String image,
            @Option(names = "--group", paramLabel = "GROUP", description = "Server group the VM joins.") @Nullable
                    String group,
            @Option(names = "--az", paramLabel = "ZONE", description = "Availability zone the VM must run in.")
                    @Nullable
                    String zone,
            @Option(
                            names = "--trait",
                            paramLabel = "TRAIT",
                            description = "A trait the host must have, or with a leading '!' must not have; repeat"
                                    + " for more.")
                    @Nullable
                    List<String> traits,
            @Option(
                            names = "--ssh-key-file",
                            paramLabel = "FILE",
                            description = "OpenSSH public key file (e.g. ~/.ssh/id_ed25519.pub) whose keys go into"
                                    + " the guest's cloud-init user data; repeatable.")
                    @Nullable
                    List<Path> sshKeyFiles,
            @Option(
                            names = "--user-data-file",
                            paramLabel = "FILE",
                            description = "cloud-init user data (#cloud-config or #! script) for the guest.")
                    @Nullable
                    Path userDataFile,
            @Option(names = "--volume", paramLabel = "VOLUME", description = "Data volume to attach; repeatable.")
                    @Nullable
                    List<String> volumes,
            @Option(
                            names = "--keep-volumes",
                            description = "Keep the volumes when the VM is deleted instead of deleting them.")
                    boolean keepVolumes,
            @Option(
                            names = "--count",
                            paramLabel = "N",
                            description = "Create N VMs (1-100) named NAME-1 ... NAME-N as one gang, placed all or"
                                    + " none.")
                    @Nullable
                    Integer count,
            @Option(
                            names = "--ha-policy",
                            paramLabel = "POLICY",
                            description = "What happens when the VM's host is fenced: restart (elsewhere, with its"
                                    + " disks; needs shared storage), restart-from-image (elsewhere; a local disk's"
                                    + " data is lost) or none. Default: the server's.")
                    @Nullable
                    String haPolicy,
            @Option(
                            names = "--ha-priority",
                            paramLabel = "N",
                            description = "Restart order when many VMs lose their host, higher first (0-1000;"
                                    + " needs --ha-policy).")
                    @Nullable
                    Integer haPriority,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        VmSpec request;
        try {
            request = new VmSpec(
                    name,
                    flavor,
                    image,
                    group,
                    zone,
                    traits == null ? List.of() : traits,
                    GuestFiles.sshKeys(sshKeyFiles == null ? List.of() : sshKeyFiles),
                    userDataFile == null ? null : GuestFiles.userData(userDataFile),
                    volumes == null ? List.of() : volumes,
                    keepVolumes ? Boolean.TRUE : null,
                    count,
                    VmSpec.Ha.of(haPolicy, haPriority));
        } catch (IOException e) {
            throw new ParameterException(requireNonNull(spec, "spec").commandLine(), "cannot read " + e.getMessage());
        }
        try (VireoClient client = root.connect(options)) {
            JsonNode vm = client.createVm(
                    request, root.environment().idempotencyKeys().get());
            if (vm.has("gangId") && vm.path("items").isArray()) {
                showGang(root.output(options), settleGang(client, vm, wait));
            } else {
                show(root.output(options), settle(client, vm, RUNNING, wait));
            }
        }
        return 0;
    }

    @Command(name = "list", description = "List VMs, all pages of them.")
    int list(
            @Option(names = "--state", paramLabel = "STATE", description = "Only VMs in this state, e.g. RUNNING.")
                    @Nullable
                    String state,
            @Option(names = "--host", paramLabel = "HOST", description = "Only VMs on this host.") @Nullable
                    String host,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            String upperState = state == null ? null : state.toUpperCase(Locale.ROOT);
            output.list(client.vms(upperState, host), VmView.class, table(output.now()));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one VM.")
    int show(
            @Parameters(paramLabel = "VM", description = "Name or id of the VM.") String name,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            JsonNode vm = client.vm(name);
            output.object(vm, VmView.class, view -> {
                Details details = details(view, output.now());
                if (view.migration() != null) {
                    return details; // its Migrating line is the newest migration
                }
                String lastMigration = lastMigration(client, name);
                return lastMigration == null ? details : details.add("Last migration", lastMigration);
            });
        }
        return 0;
    }

    @Command(name = "start", description = "Start a stopped VM.")
    int start(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        return act(name, VmAction.START, RUNNING, wait, options);
    }

    @Command(name = "stop", description = "Stop a VM (the guest is asked to shut down).")
    int stop(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        return act(name, VmAction.STOP, STOPPED, wait, options);
    }

    @Command(name = "reboot", description = "Reboot a running VM.")
    int reboot(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        return act(name, VmAction.REBOOT, RUNNING, wait, options);
    }

    @Command(
            name = "migrate",
            description = "Live-migrate a running VM to another host; it keeps running. Without --to the scheduler"
                    + " picks the host.")
    int migrate(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Option(names = "--to", paramLabel = "HOST", description = "The destination host.") @Nullable String host,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            JsonNode migration = client.migrateVm(name, host);
            if (wait.enabled) {
                CliEnvironment environment = root.environment();
                migration = new MigrationWaiter(
                                client, environment.clock(), environment.sleeper(), environment.pollInterval())
                        .await(name, migration, wait.timeout);
            }
            if (output.format() == OutputFormat.JSON) {
                output.json(migration);
            } else {
                output.message("vm '" + name + "': migration "
                        + migration.path("id").asText() + " " + MigrationWaiter.summary(migration));
            }
            return migration.path("state").asText().equals("FAILED") ? 1 : 0;
        }
    }

    @Command(name = "pause", description = "Pause a running VM: its vCPUs halt, its memory stays.")
    int pause(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        return act(name, VmAction.PAUSE, PAUSED, wait, options);
    }

    @Command(name = "resume", description = "Resume a paused VM.")
    int resume(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        return act(name, VmAction.RESUME, RUNNING, wait, options);
    }

    @Command(name = "delete", description = "Delete a VM and release its resources.")
    int delete(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Mixin WaitOptions wait,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            JsonNode vm = client.deleteVm(name);
            if (!wait.enabled) {
                show(output, vm);
                return 0;
            }
            JsonNode gone = settle(client, vm, VmWaiter.DELETED, wait);
            if (output.format() == OutputFormat.JSON) {
                output.json(gone);
            } else {
                output.message("vm '" + name + "' deleted");
            }
        }
        return 0;
    }

    @Command(
            name = "stats",
            description = "Show a VM's latest resource use: CPU, memory, disk and network, as its host measured it.")
    int stats(@Parameters(paramLabel = "VM", description = "Name or id.") String name, @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(client.vmStats(name), VmStatsView.class, stats -> VmStatsDetails.of(stats, output.now()));
        }
        return 0;
    }

    @Command(
            name = "console-log",
            description = "Print a VM's serial console log; with --follow, keep printing what the guest writes.")
    int consoleLog(
            @Parameters(paramLabel = "VM", description = "Name or id.") String name,
            @Option(names = "--follow", description = "Keep polling for new output every second until interrupted.")
                    boolean follow,
            @Option(
                            names = "--tail",
                            paramLabel = "BYTES",
                            defaultValue = "" + DEFAULT_CONSOLE_TAIL_BYTES,
                            description = "Start this many bytes before the end, 1 to " + MAX_CONSOLE_BYTES
                                    + " (default: " + DEFAULT_CONSOLE_TAIL_BYTES + ").")
                    int tail,
            @Mixin ClientOptions options) {
        if (tail < 1 || tail > MAX_CONSOLE_BYTES) {
            throw new ParameterException(
                    requireNonNull(spec, "spec is null (injected by picocli)").commandLine(),
                    "--tail must be between 1 and " + MAX_CONSOLE_BYTES + ", not " + tail);
        }
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            JsonNode chunk = client.consoleLog(name, -tail, tail);
            printConsole(output, chunk);
            if (follow) {
                followConsole(client, output, name, chunk.path("nextOffset").asLong());
            }
        }
        return 0;
    }

    /** Polls from {@code offset} every {@link #CONSOLE_POLL_INTERVAL} until the thread is interrupted (Ctrl-C). */
    private void followConsole(VireoClient client, Output output, String name, long offset) {
        Sleeper sleeper = root.environment().sleeper();
        long next = offset;
        while (true) {
            try {
                sleeper.sleep(CONSOLE_POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            JsonNode chunk = client.consoleLog(name, next, MAX_CONSOLE_BYTES);
            if (!chunk.path("data").asText().isEmpty()) {
                printConsole(output, chunk);
            }
            next = chunk.path("nextOffset").asLong(next);
        }
    }

    private static void printConsole(Output output, JsonNode chunk) {
        if (output.format() == OutputFormat.JSON) {
            output.json(chunk);
        } else {
            output.text(chunk.path("data").asText());
        }
    }

    private int act(String name, VmAction action, String target, WaitOptions wait, ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            show(root.output(options), settle(client, client.vmAction(name, action), target, wait));
        }
        return 0;
    }

    private JsonNode settle(VireoClient client, JsonNode vm, String target, WaitOptions wait) {
        if (!wait.enabled) {
            return vm;
        }
        CliEnvironment environment = root.environment();
        return new VmWaiter(client, environment.clock(), environment.sleeper(), environment.pollInterval())
                .await(vm, target, wait.timeout);
    }

    /** With {@code --wait}, waits for every member of the gang to run, all within one {@code --timeout}. */
    private JsonNode settleGang(VireoClient client, JsonNode gang, WaitOptions wait) {
        if (!wait.enabled) {
            return gang;
        }
        CliEnvironment environment = root.environment();
        VmWaiter waiter = new VmWaiter(client, environment.clock(), environment.sleeper(), environment.pollInterval());
        Instant deadline = environment.clock().instant().plus(wait.timeout);
        ObjectNode settled = gang.deepCopy();
        ArrayNode members = settled.putArray("items");
        for (JsonNode member : gang.path("items")) {
            Duration left = Duration.between(environment.clock().instant(), deadline);
            members.add(waiter.await(member, RUNNING, left.isNegative() ? Duration.ZERO : left));
        }
        return settled;
    }

    /** The members as a table, or the server's gang object ({@code gangId}, {@code items}) as JSON. */
    private static void showGang(Output output, JsonNode gang) {
        if (output.format() == OutputFormat.JSON) {
            output.json(gang);
            return;
        }
        List<JsonNode> members = new ArrayList<>();
        gang.path("items").forEach(members::add);
        output.list(members, VmView.class, table(output.now()));
    }

    private static void show(Output output, JsonNode vm) {
        output.row(vm, VmView.class, table(output.now()));
    }

    static Table<VmView> table(Instant now) {
        return Table.of(
                Column.of("NAME", VmView::name),
                Column.of("STATE", VmCommand::stateColumn),
                Column.of("HOST", VmView::host),
                Column.of("FLAVOR", VmView::flavor),
                Column.of("IMAGE", VmView::image),
                Column.of("AGE", vm -> Ages.since(vm.createdAt(), now)));
    }

    /** The state, marked while a live migration is in flight: {@code RUNNING (migrating)}. */
    private static @Nullable String stateColumn(VmView vm) {
        return vm.migration() == null || vm.state() == null ? vm.state() : vm.state() + " (migrating)";
    }

    static Details details(VmView vm, Instant now) {
        Details details = new Details()
                .add("Name", vm.name())
                .add("ID", vm.id())
                .add("Project", vm.project())
                .add("State", vm.stateReason() == null ? vm.state() : vm.state() + " (" + vm.stateReason() + ")")
                .add("Desired state", vm.desiredState())
                .add("Host", vm.host());
        VmView.Migration migration = vm.migration();
        if (migration != null) {
            details.add("Migrating", migrating(migration, now));
        }
        return details.add("Server group", vm.serverGroup())
                .add("Gang", vm.gangId())
                .add("Zone", vm.availabilityZone())
                .add("Traits", traits(vm))
                .add("Flavor", vm.flavor())
                .add("Image", vm.image())
                .add("vCPUs", vm.vcpus())
                .add("Memory", vm.memoryMib() == null ? null : vm.memoryMib() + " MiB")
                .add("Disk", vm.diskGib() == null ? null : vm.diskGib() + " GiB")
                .add("MAC", macs(vm))
                .add("HA", ha(vm))
                .add("Generation", generation(vm))
                .add("Created", Ages.withAge(vm.createdAt(), now))
                .add("Started", Ages.withAge(vm.startedAt(), now))
                .add("Updated", Ages.withAge(vm.updatedAt(), now));
    }

    /** {@code MIGRATING host-a -> host-b (since 2026-11-27T09:58:00Z, 2m ago)}. */
    private static String migrating(VmView.Migration migration, Instant now) {
        String line = migration.state() + " " + migration.sourceHost() + " -> " + migration.destinationHost();
        String startedAt = migration.startedAt();
        if (startedAt == null) {
            return line;
        }
        String age = Ages.since(startedAt, now);
        return line + " (since " + startedAt + (age.equals(Text.ABSENT) ? "" : ", " + age + " ago") + ")";
    }

    /** {@code restart-from-image (priority 500)}; null if the server gave none. */
    private static @Nullable String ha(VmView vm) {
        VmView.Ha ha = vm.ha();
        if (ha == null || ha.policy() == null) {
            return null;
        }
        return ha.policy() + (ha.priority() == null || ha.priority() == 0 ? "" : " (priority " + ha.priority() + ")");
    }

    /** The MAC addresses of the VM's network interfaces, comma-separated; null if the server gave none. */
    private static @Nullable String macs(VmView vm) {
        List<VmView.Nic> nics = vm.nics();
        if (nics == null || nics.isEmpty()) {
            return null;
        }
        return String.join(
                ", ", nics.stream().map(nic -> String.valueOf(nic.mac())).toList());
    }

    /** The newest migration in one line, or null if there is none (or the server cannot tell). */
    private static @Nullable String lastMigration(VireoClient client, String name) {
        try {
            return client.migrations(name).stream()
                    .findFirst()
                    .map(MigrationWaiter::summary)
                    .orElse(null);
        } catch (CliException e) {
            return null;
        }
    }

    private static @Nullable String traits(VmView vm) {
        List<String> traits = vm.traits();
        return traits == null || traits.isEmpty() ? null : String.join(", ", traits);
    }

    private static @Nullable String generation(VmView vm) {
        if (vm.generation() == null) {
            return null;
        }
        return vm.generation() + (vm.observedGeneration() == null ? "" : " (observed " + vm.observedGeneration() + ")");
    }
}
