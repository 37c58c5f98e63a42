package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * A command the launcher adds to the {@code vireo} tree, e.g. {@code vireo up} (top level) or
 * {@code vireo image build-test-guest} (under {@code image}).
 *
 * @param parentPath the names of the existing command to add it under; empty for the top level
 * @param command a {@code @Command}-annotated object or a {@link picocli.CommandLine}, as
 *     {@link picocli.CommandLine#addSubcommand(Object)} accepts
 */
public record CliExtension(List<String> parentPath, Object command) {
    public CliExtension {
        parentPath = List.copyOf(requireNonNull(parentPath, "parentPath is null"));
        requireNonNull(command, "command is null");
    }

    /** {@code vireo <command>}. */
    public static CliExtension topLevel(Object command) {
        return new CliExtension(List.of(), command);
    }

    /** {@code vireo <parent> <command>}; {@code parent} may name a nested command, e.g. {@code "image"}. */
    public static CliExtension under(String parent, Object command) {
        return new CliExtension(Arrays.stream(parent.strip().split("\\s+")).toList(), command);
    }
}
