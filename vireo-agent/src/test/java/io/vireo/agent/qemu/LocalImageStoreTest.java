package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.ImageDownload;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's image cache: fetch, verify, reuse, refuse a corrupted download, download once for concurrent VMs. */
class LocalImageStoreTest {
    private static final long SEED = 20261127L;

    @TempDir
    Path dir;

    private final byte[] bytes = randomBytes(300_000);
    private final UUID imageId = UUID.randomUUID();

    @Test
    void fetchesVerifiesAndReusesTheCachedImage() throws IOException {
        CountingFetcher fetcher = new CountingFetcher(bytes);
        LocalImageStore store = store(fetcher);

        Path first = store.fetch(vm(new ImageDownload(sha256(bytes), bytes.length)));
        Path second = store.fetch(vm(new ImageDownload(sha256(bytes), bytes.length)));

        assertThat(first).isEqualTo(store.cached(imageId, ImageFormat.QCOW2)).isEqualTo(second);
        assertThat(Files.readAllBytes(first)).isEqualTo(bytes);
        assertThat(fetcher.opens.get()).isEqualTo(1);
        assertThat(cacheFiles()).containsExactly(imageId + ".qcow2");
    }

    @Test
    void aCorruptedDownloadFailsWithTheReasonAndLeavesNothing() throws IOException {
        byte[] corrupted = bytes.clone();
        corrupted[1234] ^= 1;
        LocalImageStore store = store(new CountingFetcher(corrupted));

        assertThatThrownBy(() -> store.fetch(vm(new ImageDownload(sha256(bytes), bytes.length))))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(sha256(bytes));
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aDownloadLongerOrShorterThanExpectedIsRefused() throws IOException {
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() ->
                        store(new CountingFetcher(longer)).fetch(vm(new ImageDownload(sha256(bytes), bytes.length))))
                .hasMessageContaining("larger than");
        byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() ->
                        store(new CountingFetcher(shorter)).fetch(vm(new ImageDownload(sha256(bytes), bytes.length))))
                .hasMessageContaining("checksum mismatch");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aPartialDownloadLeftBehindIsRemovedAndNeverUsed() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.write(cache.resolve(UUID.randomUUID() + ".part"), new byte[] {1, 2, 3});
        // a cached file of the wrong size (cut short by a crash of an older version) is fetched again
        Files.write(cache.resolve(imageId + ".qcow2"), java.util.Arrays.copyOf(bytes, 10));
        CountingFetcher fetcher = new CountingFetcher(bytes);

        Path fetched = store(fetcher).fetch(vm(new ImageDownload(sha256(bytes), bytes.length)));

        assertThat(Files.readAllBytes(fetched)).isEqualTo(bytes);
        assertThat(fetcher.opens.get()).isEqualTo(1);
        assertThat(cacheFiles()).containsExactly(imageId + ".qcow2");
    }

    @Test
    void concurrentVmsOfOneImageDownloadItOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountingFetcher fetcher = new CountingFetcher(bytes, release);
        LocalImageStore store = store(fetcher);
        DesiredVm vm = vm(new ImageDownload(sha256(bytes), bytes.length));
        List<Future<Path>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> store.fetch(vm)));
            }
            release.countDown();
            for (Future<Path> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(store.cached(imageId, ImageFormat.QCOW2));
            }
        }
        assertThat(fetcher.opens.get()).isEqualTo(1);
    }

    @Test
    void withoutAFetcherAServerImageCannotBeHadButHostLocalOnesStillResolve() throws IOException {
        LocalImageStore store = store(null);
        assertThatThrownBy(() -> store.fetch(vm(new ImageDownload(sha256(bytes), bytes.length))))
                .hasMessageContaining("--image-url");

        Path local = Files.write(dir.resolve("local").resolve(imageId + ".qcow2"), bytes);
        assertThat(store.fetch(vm(null))).isEqualTo(local);
    }

    @Test
    void httpFetcherSendsTheAgentTokenAndStreamsTheBody() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("agent-token"), "secret-agent-token-0123456789\n");
        List<String> authorizations = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/images/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean known = exchange.getRequestURI().getPath().equals("/api/v1/images/" + imageId + "/file");
            byte[] body = known ? bytes : "{\"error\":{\"code\":\"NOT_FOUND\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpImageFetcher fetcher = new HttpImageFetcher(base, tokenFile, tokenFile.resolveSibling("no-ca.pem"));

            Path fetched = store(fetcher).fetch(vm(new ImageDownload(sha256(bytes), bytes.length)));

            assertThat(Files.readAllBytes(fetched)).isEqualTo(bytes);
            assertThat(authorizations).containsExactly("Bearer secret-agent-token-0123456789");
            assertThatThrownBy(() -> fetcher.open(UUID.randomUUID()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("404");
        } finally {
            server.stop(0);
        }
    }

    private LocalImageStore store(@Nullable ImageFetcher fetcher) throws IOException {
        Files.createDirectories(dir.resolve("local"));
        return new LocalImageStore(dir.resolve("local"), dir.resolve("cache"), fetcher);
    }

    private DesiredVm vm(@Nullable ImageDownload download) {
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
                download,
                GuestSpec.NONE);
    }

    private List<String> cacheFiles() throws IOException {
        Path cache = dir.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static byte[] randomBytes(int count) {
        System.out.println("LocalImageStoreTest seed " + SEED);
        byte[] bytes = new byte[count];
        new SplittableRandom(SEED).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Serves fixed bytes and counts how often it is asked; optionally waits for a latch before answering. */
    private static final class CountingFetcher implements ImageFetcher {
        private final byte[] bytes;
        private final CountDownLatch release;
        final AtomicInteger opens = new AtomicInteger();

        CountingFetcher(byte[] bytes) {
            this(bytes, new CountDownLatch(0));
        }

        CountingFetcher(byte[] bytes, CountDownLatch release) {
            this.bytes = bytes;
            this.release = release;
        }

        @Override
        public InputStream open(UUID imageId) throws IOException {
            opens.incrementAndGet();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("not released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return new ByteArrayInputStream(bytes);
        }
    }
}
