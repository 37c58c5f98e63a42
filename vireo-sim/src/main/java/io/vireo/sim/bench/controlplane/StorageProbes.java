package io.vireo.sim.bench.controlplane;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What the database's storage costs: the size of the server's PostgreSQL database ({@code pg_database_size}, asked
 * with {@code psql} through the embedded server's socket and Vireo's own role), and how long an fsync takes on its
 * file system. The embedded PostgreSQL ships no {@code pg_test_fsync}, so the fsync figure comes from a loop of its
 * own that does what a commit does with {@code wal_sync_method = fdatasync}, PostgreSQL's default on Linux: rewrite an
 * 8 KiB block of a file and {@code fdatasync} it.
 */
final class StorageProbes {
    static final String FSYNC_METHOD = "8 KiB write + fdatasync loop in the data directory";
    private static final int BLOCK_BYTES = 8192;
    private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(30);

    private StorageProbes() {}

    /** Latencies of {@code write(8 KiB) + fdatasync} in {@code directory}, repeated for {@code duration}. */
    static Latencies fsync(Path directory, Duration duration) throws IOException {
        Path file = Files.createTempFile(directory, "fsync-probe", ".bin");
        Latencies latencies = new Latencies();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_BYTES);
            long end = System.nanoTime() + duration.toNanos();
            long offset = 0;
            while (System.nanoTime() < end) {
                block.clear();
                long start = System.nanoTime();
                channel.write(block, offset);
                channel.force(false);
                latencies.recordNanos(System.nanoTime() - start);
                offset = (offset + BLOCK_BYTES) % (16L * 1024 * 1024);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return latencies;
    }

    /** The size of database {@code vireo} in bytes, or empty if {@code psql} is missing or fails. */
    static OptionalLong databaseBytes(Path dataDir) throws InterruptedException {
        try {
            String password = Files.readString(dataDir.resolve("postgres.vireo-password"), StandardCharsets.UTF_8)
                    .strip();
            ProcessBuilder psql = new ProcessBuilder(List.of(
                            "psql",
                            "-h",
                            dataDir.resolve("postgres-socket").toString(),
                            "-p",
                            "5432",
                            "-U",
                            "vireo",
                            "-d",
                            "vireo",
                            "-Atc",
                            "SELECT pg_database_size('vireo')"))
                    .redirectErrorStream(true);
            Map<String, String> environment = psql.environment();
            environment.put("PGPASSWORD", password);
            Process process = psql.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(PSQL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(output));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
