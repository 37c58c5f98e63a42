/**
 * The {@code vireo} command tree: the entry point the launcher calls ({@link io.vireo.cli.VireoCli}), the root command
 * ({@link io.vireo.cli.VireoCommand}), the options of every client command ({@link io.vireo.cli.ClientOptions}) and
 * the client subcommands ({@code vm}, {@code host}, {@code flavor}, {@code image}, {@code events}). Subcommand classes
 * are package-private: only the entry point, the root command, the options and the environment are API.
 */
@NullMarked
package io.vireo.cli;

import org.jspecify.annotations.NullMarked;
