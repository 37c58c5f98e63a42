package io.vireo.server.launcher;

import io.vireo.server.VireoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Builds the test guest (a Debian cloud kernel and a busybox initramfs) into {@code DATA_DIR/images/test-guest} with
 * the build script shipped inside the jar. The server links it to the {@code test-guest} image record when it starts.
 */
final class TestGuestBuilder {
    private static final String[] SCRIPT_FILES = {"build-test-guest.sh", "init"};
    private static final long BUILD_TIMEOUT_MINUTES = 15;

    private TestGuestBuilder() {}

    static boolean built(Path dataDir) {
        Path dir = VireoServer.testGuestDirectory(dataDir);
        return Files.isRegularFile(dir.resolve("vmlinuz")) && Files.isRegularFile(dir.resolve("initramfs.cpio.gz"));
    }

    /** Runs the build script; its output goes to this process's standard error. */
    static void build(Path dataDir) {
        Path output = VireoServer.testGuestDirectory(dataDir);
        try {
            Path scripts = Files.createTempDirectory("vireo-guest-build");
            for (String name : SCRIPT_FILES) {
                try (InputStream in = TestGuestBuilder.class.getResourceAsStream("/guest/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the jar lacks guest/" + name);
                    }
                    Path file = scripts.resolve(name);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().setExecutable(true);
                }
            }
            Files.createDirectories(output);
            Process process = new ProcessBuilder(
                            "bash", scripts.resolve("build-test-guest.sh").toString(), output.toString())
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("building the test guest took over " + BUILD_TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("building the test guest failed (exit " + process.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the test guest into " + output, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the test guest", e);
        }
    }
}
