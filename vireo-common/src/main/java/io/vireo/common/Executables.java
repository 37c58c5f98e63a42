package io.vireo.common;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks programs up on {@code PATH}, as a shell would before running them. Thread-safe (stateless). */
public final class Executables {
    private Executables() {}

    /** True if an executable file named {@code program} is in a directory of {@code PATH}. */
    public static boolean onPath(String program) {
        requireNonNull(program, "program is null");
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
