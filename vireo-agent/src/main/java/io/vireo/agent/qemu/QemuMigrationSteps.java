package io.vireo.agent.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QMP choreography of a live migration with a copy of the VM's disk (ADR 0005), as static steps over the two
 * {@link QemuInstance}s. The destination QEMU runs with {@code -incoming defer -S}; it exports its empty overlay over
 * NBD and listens for the memory stream. The source mirrors its overlay into that export ({@code drive-mirror
 * sync=top}: the base image is on both hosts), then migrates memory with {@code pause-before-switchover}; in the
 * pause it completes the mirror ({@code block-job-cancel} of a ready mirror: the copy is exact and the source keeps
 * its disk), then lets the migration finish. The destination, told by its {@code MIGRATION completed} event, stops its
 * NBD server and continues the guest: with {@code late-block-activate} it takes its disk over only then.
 *
 * <p>Stateless; every wait is bounded by a setting. Methods throw {@link HypervisorException} with the reason.
 */
final class QemuMigrationSteps {
    /** The block job that copies the disk; one per VM, on the source. */
    static final String MIRROR_JOB = "vireo-mirror-disk0";
    /** The drive (and NBD export) name of the VM's disk, as {@link QemuCommandLine} names it. */
    static final String DISK = "disk0";

    private static final Logger log = LoggerFactory.getLogger(QemuMigrationSteps.class);
    private static final int MAX_PORT_ATTEMPTS = 16;
    private static final Set<String> FINAL_STATES = Set.of("completed", "failed", "cancelled");

    private QemuMigrationSteps() {}

    /** Destination: exports the disk (if any) and listens for the memory stream; returns where. */
    static MigrationEndpoint listen(
            QemuInstance destination, QemuMigrationSettings settings, boolean hasDisk, RandomGenerator random) {
        destination.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(capability("events", true), capability("late-block-activate", true))));
        int diskPort = 0;
        if (hasDisk) {
            diskPort = firstWorking(
                    settings,
                    random,
                    -1,
                    port -> destination.execute(
                            "nbd-server-start",
                            Map.of(
                                    "addr",
                                    Map.of(
                                            "type",
                                            "inet",
                                            "data",
                                            Map.of(
                                                    "host",
                                                    settings.listenAddress(),
                                                    "port",
                                                    Integer.toString(port))))));
            destination.execute("nbd-server-add", Map.of("device", DISK, "writable", true));
        }
        int migrationPort = firstWorking(
                settings,
                random,
                diskPort,
                port -> destination.execute(
                        "migrate-incoming", Map.of("uri", "tcp:" + uriHost(settings.listenAddress()) + ":" + port)));
        return new MigrationEndpoint(settings.listenAddress(), migrationPort, diskPort);
    }

    /** Destination, once the memory has arrived: gives the disk back to the VM and runs it. */
    static void finishIncoming(QemuInstance destination, boolean hasDisk) {
        if (hasDisk) {
            destination.execute("nbd-server-stop");
        }
        destination.execute("cont");
    }

    /**
     * Source: copies the disk (if both sides have one), migrates memory, waits for completion. On failure cancels
     * what runs, makes sure the guest runs here again and throws.
     */
    static MigrationStats send(
            QemuInstance source, MigrationEndpoint target, QemuMigrationSettings settings, boolean hasDisk) {
        boolean mirror = hasDisk && target.diskPort() > 0;
        long started = System.nanoTime();
        try {
            if (mirror) {
                startMirror(source, target, settings);
            }
            long memoryStarted = System.nanoTime();
            source.execute(
                    "migrate-set-capabilities",
                    Map.of("capabilities", List.of(capability("pause-before-switchover", mirror))));
            source.execute(
                    "migrate-set-parameters",
                    Map.of(
                            "max-bandwidth",
                            settings.maxBandwidthBytesPerSecond(),
                            "downtime-limit",
                            settings.downtimeLimit().toMillis()));
            source.execute("migrate", Map.of("uri", "tcp:" + target.uriHost() + ":" + target.migrationPort()));
            long deadline = memoryStarted + settings.memoryTimeout().toNanos();
            JsonNode status = awaitMigration(source, settings, deadline, Set.of("pre-switchover"));
            if (status.path("status").asText().equals("pre-switchover")) {
                completeMirror(source, settings, deadline);
                source.execute("migrate-continue", Map.of("state", "pre-switchover"));
                status = awaitMigration(source, settings, deadline, Set.of());
            }
            if (!status.path("status").asText().equals("completed")) {
                throw new HypervisorException(
                        "migration " + status.path("status").asText() + ": "
                                + status.path("error-desc").asText("no reason given by QEMU"));
            }
            return new MigrationStats(
                    Duration.ofNanos(System.nanoTime() - started),
                    Duration.ofNanos(memoryStarted - started),
                    Duration.ofMillis(status.path("total-time").asLong()),
                    Duration.ofMillis(status.path("downtime").asLong()),
                    status.path("ram").path("transferred").asLong());
        } catch (HypervisorException e) {
            recover(source, mirror);
            throw e;
        }
    }

    private static void startMirror(QemuInstance source, MigrationEndpoint target, QemuMigrationSettings settings) {
        source.execute(
                "drive-mirror",
                Map.of(
                        "job-id",
                        MIRROR_JOB,
                        "device",
                        DISK,
                        "target",
                        "nbd:" + target.uriHost() + ":" + target.diskPort() + ":exportname=" + DISK,
                        "format",
                        "raw",
                        "mode",
                        "existing",
                        "sync",
                        "top"));
        long deadline = System.nanoTime() + settings.diskCopyTimeout().toNanos();
        while (true) {
            JsonNode job = mirrorJob(source);
            if (job == null) {
                throw new HypervisorException("the disk copy to the destination failed");
            }
            if (job.path("ready").asBoolean()) {
                return;
            }
            if (!job.path("error").asText("").isEmpty()) {
                throw new HypervisorException(
                        "the disk copy failed: " + job.path("error").asText());
            }
            pause(settings, deadline, "the disk copy did not catch up within " + settings.diskCopyTimeout());
        }
    }

    /** In the pre-switchover pause: the guest is stopped, so completing the mirror makes the copy exact. */
    private static void completeMirror(QemuInstance source, QemuMigrationSettings settings, long deadline) {
        source.execute("block-job-cancel", Map.of("device", MIRROR_JOB));
        while (mirrorJob(source) != null) {
            pause(settings, deadline, "the disk copy did not finish within " + settings.memoryTimeout());
        }
    }

    private static JsonNode awaitMigration(
            QemuInstance source, QemuMigrationSettings settings, long deadline, Set<String> alsoStopAt) {
        while (true) {
            JsonNode status = source.execute("query-migrate");
            String state = status.path("status").asText();
            if (FINAL_STATES.contains(state) || alsoStopAt.contains(state)) {
                return status;
            }
            pause(settings, deadline, "the migration did not complete within " + settings.memoryTimeout());
        }
    }

    /** Best effort after a failure: cancels the migration and the disk copy; the guest must run here again. */
    private static void recover(QemuInstance source, boolean mirror) {
        ignoringFailure(() -> source.execute("migrate_cancel"));
        if (mirror) {
            ignoringFailure(() -> source.execute("block-job-cancel", Map.of("device", MIRROR_JOB, "force", true)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String state = source.execute("query-migrate").path("status").asText();
            if (state.isEmpty() || FINAL_STATES.contains(state)) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        String run = source.execute("query-status").path("status").asText();
        if (!run.equals("running")) {
            log.info("VM {}: the guest is {} after the failed migration; continuing it", source.vmId(), run);
            source.execute("cont");
        }
    }

    private static @Nullable JsonNode mirrorJob(QemuInstance source) {
        for (JsonNode job : source.execute("query-block-jobs")) {
            if (job.path("device").asText().equals(MIRROR_JOB)) {
                return job;
            }
        }
        return null;
    }

    private interface PortUse {
        void accept(int port);
    }

    /** Runs {@code use} on free-looking ports of the range, from a random start, until one works. */
    private static int firstWorking(QemuMigrationSettings settings, RandomGenerator random, int taken, PortUse use) {
        int size = settings.lastPort() - settings.firstPort() + 1;
        int offset = random.nextInt(size);
        HypervisorException last = null;
        int attempts = 0;
        for (int i = 0; i < size && attempts < MAX_PORT_ATTEMPTS; i++) {
            int port = settings.firstPort() + (offset + i) % size;
            if (port == taken || !looksFree(settings.listenAddress(), port)) {
                continue;
            }
            attempts++;
            try {
                use.accept(port);
                return port;
            } catch (HypervisorException e) {
                last = e;
            }
        }
        throw new HypervisorException("no migration port free in " + settings.firstPort() + ".." + settings.lastPort()
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static boolean looksFree(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(QemuMigrationSettings settings, long deadline, String timeoutMessage) {
        if (System.nanoTime() >= deadline) {
            throw new HypervisorException(timeoutMessage);
        }
        LockSupport.parkNanos(settings.pollInterval().toNanos());
        if (Thread.currentThread().isInterrupted()) {
            throw new HypervisorException("interrupted while migrating");
        }
    }

    private static void ignoringFailure(Runnable step) {
        try {
            step.run();
        } catch (HypervisorException e) {
            log.debug("ignored while recovering from a failed migration: {}", e.getMessage());
        }
    }

    private static Map<String, Object> capability(String name, boolean state) {
        return Map.of("capability", name, "state", state);
    }

    private static String uriHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
