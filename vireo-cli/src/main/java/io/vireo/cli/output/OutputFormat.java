package io.vireo.cli.output;

/** How results are printed: {@code -o table} (the default, for people) or {@code -o json} (for scripts). */
public enum OutputFormat {
    TABLE,
    JSON
}
