package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Vireo test guest for tests with real QEMU, built by the project's own {@code guest/build-test-guest.sh} into
 * {@code ~/.cache/vireo/test-guest} (override with the {@code vireo.testGuestCache} system property). It is rebuilt
 * only when the script or the guest's {@code init} changed (a stamp holds their digest); the downloaded packages stay
 * in the cache, so a rebuild is offline. A file lock keeps test JVMs running at once from building it twice.
 *
 * <p>Threading: {@link #directory()} is synchronised; the result is cached for the JVM.
 */
final class TestGuest {
    /** Building downloads ~28 MB the first time; after that it takes a few seconds. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private static final String SCRIPT = "guest/build-test-guest.sh";
    private static final String STAMP = ".vireo-guest-stamp";

    private static @Nullable Path built;

    private TestGuest() {}

    /** True if {@code name} is an executable on {@code PATH}. */
    static boolean onPath(String name) {
        return io.vireo.common.Executables.onPath(name);
    }

    /**
     * An image store in {@code imageDir} holding the test guest (built if needed) as kernel-and-initrd image
     * {@code imageId}, by a symbolic link.
     */
    static LocalImageStore imageStore(Path imageDir, java.util.UUID imageId) throws IOException {
        LocalImageStore images = new LocalImageStore(imageDir);
        Files.createSymbolicLink(images.location(imageId, io.vireo.model.ImageFormat.KERNEL_INITRD), directory());
        return images;
    }

    /**
     * Deletes every VM a driver over {@code settings}' state directory finds, with whatever a failed test left running:
     * QEMU is daemonised and would outlive the test JVM.
     */
    static void deleteEveryVm(QemuSettings settings, ImageStore images) {
        QemuDriver cleaner = new QemuDriver(settings, images, java.time.Clock.systemUTC());
        try {
            cleaner.list().forEach(vm -> cleaner.delete(vm.vmId()));
        } finally {
            cleaner.close();
        }
    }

    /** The directory holding {@code vmlinuz} and {@code initramfs.cpio.gz}, built if needed. */
    static synchronized Path directory() {
        Path existing = built;
        if (existing != null) {
            return existing;
        }
        try {
            Path script = repositoryRoot().resolve(SCRIPT);
            Path init = script.resolveSibling("init");
            String digest = digest(script, init);
            Path cache = cacheDirectory();
            Files.createDirectories(cache);
            try (FileChannel lockFile = FileChannel.open(
                            cache.resolveSibling("test-guest.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                if (!isCurrent(cache, digest)) {
                    build(script, cache);
                    Files.writeString(cache.resolve(STAMP), digest, UTF_8);
                }
            }
            built = cache;
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isCurrent(Path cache, String digest) throws IOException {
        Path stamp = cache.resolve(STAMP);
        return Files.exists(stamp)
                && Files.readString(stamp, UTF_8).equals(digest)
                && Files.isRegularFile(cache.resolve(ImageStore.KERNEL_FILE))
                && Files.isRegularFile(cache.resolve(ImageStore.INITRD_FILE));
    }

    private static void build(Path script, Path cache) throws IOException {
        Path log = Files.createTempFile("vireo-test-guest-build", ".log");
        try {
            Process process = new ProcessBuilder(script.toString(), cache.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish within " + BUILD_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        SCRIPT + " failed (exit " + process.exitValue() + "):\n" + Files.readString(log, UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the test guest", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty("vireo.testGuestCache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "vireo", "test-guest");
    }

    private static Path repositoryRoot() {
        Optional<Path> root = Optional.of(Path.of("").toAbsolutePath());
        while (root.isPresent()) {
            Path candidate = root.get();
            if (Files.isRegularFile(candidate.resolve(SCRIPT))) {
                return candidate;
            }
            root = Optional.ofNullable(candidate.getParent());
        }
        throw new IllegalStateException(
                "cannot find " + SCRIPT + " above " + Path.of("").toAbsolutePath());
    }

    private static String digest(Path... files) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha256.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
