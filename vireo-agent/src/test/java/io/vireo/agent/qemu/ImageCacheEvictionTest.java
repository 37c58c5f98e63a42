package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.testing.MutableClock;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.ImageDownload;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction from the agent's image cache, on real files (and real overlays made by {@code qemu-img}): least recently used
 * first down to the limit, never an image an overlay stands on, never one pinned by a VM being created, never one
 * being downloaded, never a host-local image.
 */
class ImageCacheEvictionTest {
    private static final int IMAGE_BYTES = 100_000;
    private static final Predicate<Path> NOTHING_IN_USE = path -> false;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final Map<UUID, byte[]> served = new HashMap<>();

    private LocalImageStore store(long maxBytes) throws IOException {
        Files.createDirectories(dir.resolve("local"));
        return new LocalImageStore(dir.resolve("local"), dir.resolve("cache"), this::open, maxBytes, clock);
    }

    private InputStream open(UUID imageId) throws IOException {
        byte[] bytes = served.get(imageId);
        if (bytes == null) {
            throw new IOException("404");
        }
        return new ByteArrayInputStream(bytes);
    }

    private UUID image(int fill) {
        byte[] bytes = new byte[IMAGE_BYTES];
        java.util.Arrays.fill(bytes, (byte) fill);
        UUID id = UUID.randomUUID();
        served.put(id, bytes);
        return id;
    }

    private DesiredVm vm(UUID imageId) {
        byte[] bytes = java.util.Objects.requireNonNull(served.get(imageId), "not served");
        return new DesiredVm(
                UUID.randomUUID(),
                "vm",
                1,
                1,
                DesiredState.RUNNING,
                0,
                new Resources(1, 128, 1),
                imageId,
                "disk",
                ImageFormat.QCOW2,
                new ImageDownload(sha256(bytes), bytes.length),
                GuestSpec.NONE);
    }

    /** Fetches {@code imageId} one minute after the previous use, making it the most recently used. */
    private Path use(LocalImageStore store, UUID imageId) {
        clock.advance(Duration.ofMinutes(1));
        return store.fetch(vm(imageId));
    }

    private List<String> cache() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static String file(UUID imageId) {
        return imageId + ".qcow2";
    }

    @Test
    void removesTheLeastRecentlyUsedImagesDownToTheLimitAndNoMore() throws IOException {
        UUID a = image(1);
        UUID b = image(2);
        UUID c = image(3);
        LocalImageStore store = store(2L * IMAGE_BYTES);
        use(store, a);
        use(store, b);
        use(store, c);
        use(store, a); // now b is the least recently used

        List<Path> evicted = store.evict(NOTHING_IN_USE);

        assertThat(evicted).containsExactly(store.cached(b, ImageFormat.QCOW2));
        assertThat(cache()).containsExactlyInAnyOrder(file(a), file(c));
        assertThat(store.evict(NOTHING_IN_USE)).as("within the limit").isEmpty();

        LocalImageStore smaller = store(IMAGE_BYTES); // an agent restarted with a lower limit: last use survives
        assertThat(smaller.evict(NOTHING_IN_USE)).containsExactly(smaller.cached(c, ImageFormat.QCOW2));
        assertThat(cache()).containsExactly(file(a));
        assertThat(Files.readAllBytes(use(smaller, b)))
                .as("an evicted image is downloaded again")
                .hasSize(IMAGE_BYTES);
    }

    @Test
    void neverRemovesTheBaseOfAnOverlayAndRemovesItOnceTheOverlayIsGone() throws IOException {
        UUID base = image(4);
        UUID other = image(5);
        LocalImageStore store = store(0);
        Path basePath = use(store, base);
        use(store, other);
        Path vmsRoot = dir.resolve("state").resolve(VmPaths.ROOT);
        VmPaths vm = VmPaths.of(dir.resolve("state"), UUID.randomUUID());
        Files.createDirectories(vm.directory());
        qemuImg(
                "create",
                "-q",
                "-f",
                "qcow2",
                "-b",
                basePath.toString(),
                "-F",
                "raw",
                vm.disk().toString(),
                "1G");
        Predicate<Path> overlays = path -> OverlayBackingFiles.inUse(vmsRoot, path);

        assertThat(store.evict(overlays)).containsExactly(store.cached(other, ImageFormat.QCOW2));
        assertThat(cache()).containsExactly(file(base));
        assertThat(Files.readAllBytes(basePath)).isEqualTo(served.get(base));

        Files.delete(vm.disk());
        assertThat(store.evict(overlays)).containsExactly(basePath);
        assertThat(cache()).isEmpty();
    }

    @Test
    void readsTheBackingFileFromTheOverlayHeaderRelativeOrAbsolute() throws IOException {
        Path vmDir = Files.createDirectories(dir.resolve("vm"));
        Path base = Files.write(dir.resolve("base.raw"), new byte[4096]);
        Path absolute = vmDir.resolve("disk0.qcow2");
        Path relative = vmDir.resolve("disk1.qcow2");
        Path blank = vmDir.resolve("vol.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw", absolute.toString(), "1G");
        qemuImg("create", "-q", "-f", "qcow2", "-b", "../base.raw", "-F", "raw", relative.toString(), "1G");
        qemuImg("create", "-q", "-f", "qcow2", blank.toString(), "1G");
        Files.writeString(vmDir.resolve("vm.json"), "{}");

        assertThat(OverlayBackingFiles.backingFile(absolute)).contains(base);
        assertThat(OverlayBackingFiles.backingFile(relative)).contains(base);
        assertThat(OverlayBackingFiles.backingFile(blank)).isEmpty();
        assertThat(OverlayBackingFiles.backingFile(vmDir.resolve("vm.json"))).isEqualTo(Optional.empty());
        assertThat(OverlayBackingFiles.scan(dir)).containsExactly(base);
        assertThat(OverlayBackingFiles.inUse(dir, base)).isTrue();
        assertThat(OverlayBackingFiles.inUse(dir, dir.resolve("other.raw"))).isFalse();
    }

    @Test
    void aPinnedImageIsNeverEvictedWhileAVmIsBeingCreatedFromIt() throws Exception {
        UUID pinned = image(6);
        LocalImageStore store = store(0);
        try (ImageStore.Pinned pin = store.pin(vm(pinned))) {
            List<Path> evicted = CompletableFuture.supplyAsync(() -> store.evict(NOTHING_IN_USE))
                    .get(10, TimeUnit.SECONDS);
            assertThat(evicted).isEmpty();
            assertThat(Files.readAllBytes(pin.path())).isEqualTo(served.get(pinned));
        }
        assertThat(store.evict(NOTHING_IN_USE)).containsExactly(store.cached(pinned, ImageFormat.QCOW2));
    }

    @Test
    void aDownloadInProgressIsNeitherEvictedNorWaitedFor() throws Exception {
        UUID idle = image(7);
        UUID downloading = image(8);
        LocalImageStore plain = store(0);
        use(plain, idle);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LocalImageStore store = new LocalImageStore(
                dir.resolve("local"),
                dir.resolve("cache"),
                id -> id.equals(downloading) ? new Gate(open(id), halfway, release) : open(id),
                0,
                clock);
        CompletableFuture<Path> download = CompletableFuture.supplyAsync(() -> store.fetch(vm(downloading)));
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(store.evict(NOTHING_IN_USE)).containsExactly(store.cached(idle, ImageFormat.QCOW2));
        assertThat(cache()).hasSize(1).allMatch(name -> name.endsWith(".part"));

        release.countDown();
        Path fetched = download.get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(fetched)).isEqualTo(served.get(downloading));
    }

    @Test
    void hostLocalImagesAreNeverEvicted() throws IOException {
        Path local = Files.createDirectories(dir.resolve("only-local"));
        UUID id = UUID.randomUUID();
        Files.write(local.resolve(id + ".qcow2"), new byte[IMAGE_BYTES]);

        assertThat(new LocalImageStore(local).evict(NOTHING_IN_USE)).isEmpty();
        assertThat(local.resolve(id + ".qcow2")).exists();
    }

    /** Passes half the bytes, then waits for the test. */
    private static final class Gate extends FilterInputStream {
        private final CountDownLatch halfway;
        private final CountDownLatch release;
        private int passed;

        Gate(InputStream in, CountDownLatch halfway, CountDownLatch release) {
            super(in);
            this.halfway = halfway;
            this.release = release;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (passed >= IMAGE_BYTES / 2) {
                halfway.countDown();
                try {
                    if (!release.await(20, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int count = super.read(buffer, offset, Math.min(length, IMAGE_BYTES / 2));
            passed += Math.max(count, 0);
            return count;
        }
    }

    private static void qemuImg(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("qemu-img " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
