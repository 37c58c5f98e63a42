package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;
import io.vireo.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo quota show|set}: a project's limits and what it uses; admins set them. */
@Command(name = "quota", description = "Show or set a project's quota.")
final class QuotaCommand implements Callable<Integer> {
    /** The API's names of the resources, in the order shown, with the unit shown after each. */
    private static final Map<String, String> RESOURCES = resources();

    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    QuotaCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "show", description = "Show a project's limits and what it uses (default: your project).")
    int show(
            @Parameters(paramLabel = "PROJECT", arity = "0..1", description = "Name of the project.") @Nullable
                    String project,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            String name =
                    project != null ? project : client.caller().path("project").asText();
            print(root.output(options), client.quota(name));
        }
        return 0;
    }

    @Command(
            name = "set",
            description = {
                "Change limits of a project's quota (admins). Each limit is a number or 'unlimited'; limits not given"
                        + " stay as they are. A limit below what is used refuses new creates and takes nothing away."
            })
    int set(
            @Parameters(paramLabel = "PROJECT", description = "Name of the project.") String project,
            @Option(names = "--instances", paramLabel = "N", description = "VMs.") @Nullable String instances,
            @Option(names = "--vcpus", paramLabel = "N", description = "vCPUs.") @Nullable String vcpus,
            @Option(names = "--memory-mib", paramLabel = "MIB", description = "Memory, MiB.") @Nullable
                    String memoryMib,
            @Option(names = "--disk-gib", paramLabel = "GIB", description = "VMs' root disks, GiB.") @Nullable
                    String diskGib,
            @Option(names = "--volumes", paramLabel = "N", description = "Volumes.") @Nullable String volumes,
            @Option(names = "--volume-gib", paramLabel = "GIB", description = "Volumes' sizes, GiB.") @Nullable
                    String volumeGib,
            @Mixin ClientOptions options) {
        Map<String, Long> limits = new LinkedHashMap<>();
        put(limits, "instances", "--instances", instances);
        put(limits, "vcpus", "--vcpus", vcpus);
        put(limits, "memoryMib", "--memory-mib", memoryMib);
        put(limits, "diskGib", "--disk-gib", diskGib);
        put(limits, "volumes", "--volumes", volumes);
        put(limits, "volumeGib", "--volume-gib", volumeGib);
        if (limits.isEmpty()) {
            throw usageError(
                    "give at least one limit: --instances, --vcpus, --memory-mib, --disk-gib, --volumes, --volume-gib");
        }
        try (VireoClient client = root.connect(options)) {
            print(root.output(options), client.setQuota(project, limits));
        }
        return 0;
    }

    private ParameterException usageError(String message) {
        return new ParameterException(
                requireNonNull(spec, "spec is null (injected by picocli)").commandLine(), message);
    }

    private void put(Map<String, Long> limits, String key, String option, @Nullable String value) {
        if (value == null) {
            return;
        }
        if (value.toLowerCase(Locale.ROOT).equals("unlimited")) {
            limits.put(key, -1L);
            return;
        }
        try {
            long limit = Long.parseLong(value);
            if (limit < 0) {
                throw new NumberFormatException();
            }
            limits.put(key, limit);
        } catch (NumberFormatException e) {
            throw usageError(option + " must be a whole number of 0 or more, or 'unlimited': " + value);
        }
    }

    private static void print(Output output, JsonNode quota) {
        if (output.format() == OutputFormat.JSON) {
            output.json(quota);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        RESOURCES.forEach((key, unit) -> {
            JsonNode item = quota.path(key);
            JsonNode limit = item.path("limit");
            rows.add(new String[] {
                key,
                limit.isNumber() ? limit.asText() : "unlimited",
                item.path("used").asText(),
                unit
            });
        });
        output.text("Project: " + quota.path("project").asText() + "\n"
                + Table.<String[]>of(
                                Column.of("RESOURCE", row -> row[0]),
                                Column.of("LIMIT", row -> row[1]),
                                Column.of("USED", row -> row[2]),
                                Column.of("UNIT", row -> row[3]))
                        .render(rows));
    }

    private static Map<String, String> resources() {
        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("instances", "VMs");
        resources.put("vcpus", "vCPUs");
        resources.put("memoryMib", "MiB");
        resources.put("diskGib", "GiB");
        resources.put("volumes", "volumes");
        resources.put("volumeGib", "GiB");
        return resources;
    }
}
