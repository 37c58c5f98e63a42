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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QMP choreography of a live migration with a copy of the VM's disks (ADR 0005, ADR 0008), as static steps over
 * the two {@link QemuInstance}s. The destination QEMU runs with {@code -incoming defer -S}; it exports each of its
 * empty writable disks (the root disk's overlay, the data volumes) over one NBD server and listens for the memory
 * stream. The source mirrors each disk into its export ({@code drive-mirror sync=top}: only what the source's top
 * layer holds; the base image is on both hosts and a volume has no base), all at once, then migrates memory with
 * {@code pause-before-switchover}; in the pause it completes every mirror ({@code block-job-cancel} of a ready mirror:
 * the copy is exact and the source keeps its disks), then lets the migration finish. Both streams run over TLS
 * ({@link MigrationTls}, ADR 20): the destination's NBD server and migration listener admit only the source host's
 * certificate, and the source checks the destination host's. The destination, told by its
 * {@code MIGRATION completed} event, stops its NBD server and continues the guest: with {@code late-block-activate} it
 * takes its disks over only then. The read-only cloud-init seed is not copied: the destination writes it again from
 * the VM's spec.
 *
 * <p>Waits are woken by QMP events ({@code MIGRATION}, {@code BLOCK_JOB_*}; see {@link QmpWakeups}) and fall back to
 * asking QEMU every {@link QemuMigrationSettings#pollInterval()}. Stateless; every wait is bounded by a setting.
 * Methods throw {@link HypervisorException} with the reason.
 */
final class QemuMigrationSteps {
    /** The prefix of the block job that copies a disk, on the source; the disk's name follows. */
    static final String MIRROR_JOB_PREFIX = "vireo-mirror-";

    /** The prefix of the node of a disk's NBD target, on the source; the attempt and the disk's name follow. */
    static final String TARGET_NODE_PREFIX = "vireo-target-";

    private static final Logger log = LoggerFactory.getLogger(QemuMigrationSteps.class);
    private static final int MAX_PORT_ATTEMPTS = 16;
    private static final Set<String> FINAL_STATES = Set.of("completed", "failed", "cancelled");
    /** How long a completed migration's figures are waited for ({@link #figuresPending}); then it counts without. */
    private static final Duration FIGURES_WAIT = Duration.ofSeconds(1);

    private static final Set<String> EVENTS = Set.of(
            "MIGRATION",
            "BLOCK_JOB_READY",
            "BLOCK_JOB_COMPLETED",
            "BLOCK_JOB_CANCELLED",
            "BLOCK_JOB_ERROR",
            "JOB_STATUS_CHANGE",
            "RESUME",
            "STOP");

    private QemuMigrationSteps() {}

    /**
     * Destination: exports {@code disks} (QEMU drive names, writable; none for a VM without disks) and listens for the
     * memory stream; returns where.
     */
    static MigrationEndpoint listen(
            QemuInstance destination,
            QemuMigrationSettings settings,
            List<String> disks,
            RandomGenerator random,
            MigrationTls.Listening tls) {
        destination.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(capability("events", true), capability("late-block-activate", true))));
        destination.execute(
                "migrate-set-parameters", Map.of("tls-creds", tls.credentials(), "tls-authz", tls.authorization()));
        int diskPort = 0;
        if (!disks.isEmpty()) {
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
                                            Map.of("host", settings.listenAddress(), "port", Integer.toString(port))),
                                    "tls-creds",
                                    tls.credentials(),
                                    "tls-authz",
                                    tls.authorization())));
            for (String disk : disks) {
                destination.execute("nbd-server-add", Map.of("device", disk, "writable", true));
            }
        }
        int migrationPort = firstWorking(
                settings,
                random,
                diskPort,
                port -> destination.execute(
                        "migrate-incoming", Map.of("uri", "tcp:" + uriHost(settings.listenAddress()) + ":" + port)));
        return new MigrationEndpoint(settings.listenAddress(), migrationPort, diskPort);
    }

    /** Destination, once the memory has arrived: gives the disks back to the VM and runs it. */
    static void finishIncoming(QemuInstance destination, boolean exported) {
        if (exported) {
            destination.execute("nbd-server-stop");
        }
        destination.execute("cont");
    }

    /**
     * Source: copies {@code disks} (QEMU drive names) into the destination's exports, migrates memory, waits for
     * completion. On failure cancels what runs, makes sure the guest runs here again and throws.
     */
    static MigrationStats send(
            QemuInstance source,
            MigrationEndpoint target,
            QemuMigrationSettings settings,
            List<String> disks,
            MigrationTls.Dialing tls,
            String attempt) {
        if (!disks.isEmpty() && target.diskPort() == 0) {
            throw new HypervisorException("the destination exports no disks, but the VM has " + disks);
        }
        long started = System.nanoTime();
        try (QmpWakeups wakeups = QmpWakeups.on(source.qmp(), EVENTS)) {
            try {
                if (!disks.isEmpty()) {
                    startMirrors(source, target, settings, disks, tls, attempt, wakeups);
                }
                long memoryStarted = System.nanoTime();
                source.execute(
                        "migrate-set-capabilities",
                        Map.of(
                                "capabilities",
                                List.of(
                                        capability("events", true),
                                        capability("pause-before-switchover", !disks.isEmpty()))));
                source.execute(
                        "migrate-set-parameters",
                        Map.of(
                                "max-bandwidth",
                                settings.maxBandwidthBytesPerSecond(),
                                "downtime-limit",
                                settings.downtimeLimit().toMillis(),
                                "tls-creds",
                                tls.credentials(),
                                "tls-hostname",
                                tls.hostname()));
                source.execute("migrate", Map.of("uri", "tcp:" + target.uriHost() + ":" + target.migrationPort()));
                long deadline = memoryStarted + settings.memoryTimeout().toNanos();
                JsonNode status = awaitMigration(source, settings, deadline, Set.of("pre-switchover"), wakeups);
                if (status.path("status").asText().equals("pre-switchover")) {
                    completeMirrors(source, settings, deadline, disks, attempt, wakeups);
                    source.execute("migrate-continue", Map.of("state", "pre-switchover"));
                    status = awaitMigration(source, settings, deadline, Set.of(), wakeups);
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
                recover(source, disks, attempt);
                throw e;
            }
        }
    }

    /**
     * Starts one mirror per disk, all at once, and waits until every one has caught up. Each disk's target is an NBD
     * client node over TLS to the destination's export of that disk: connecting to it is where the destination's
     * certificate is checked, and where the destination refuses a source it does not expect.
     */
    private static void startMirrors(
            QemuInstance source,
            MigrationEndpoint target,
            QemuMigrationSettings settings,
            List<String> disks,
            MigrationTls.Dialing tls,
            String attempt,
            QmpWakeups wakeups) {
        for (String disk : disks) {
            String node = targetNode(attempt, disk);
            source.execute(
                    "blockdev-add",
                    Map.of(
                            "driver",
                            "nbd",
                            "node-name",
                            node,
                            "server",
                            Map.of("type", "inet", "host", target.host(), "port", Integer.toString(target.diskPort())),
                            "export",
                            disk,
                            "tls-creds",
                            tls.credentials(),
                            "tls-hostname",
                            tls.hostname()));
            source.execute(
                    "blockdev-mirror",
                    Map.of("job-id", MIRROR_JOB_PREFIX + disk, "device", disk, "target", node, "sync", "top"));
        }
        long deadline = System.nanoTime() + settings.diskCopyTimeout().toNanos();
        while (true) {
            Map<String, JsonNode> jobs = mirrorJobs(source);
            boolean allReady = true;
            for (String disk : disks) {
                JsonNode job = jobs.get(MIRROR_JOB_PREFIX + disk);
                if (job == null) {
                    throw new HypervisorException("the copy of disk " + disk + " to the destination failed");
                }
                if (!job.path("error").asText("").isEmpty()) {
                    throw new HypervisorException("the copy of disk " + disk + " failed: "
                            + job.path("error").asText());
                }
                allReady &= job.path("ready").asBoolean();
            }
            if (allReady) {
                return;
            }
            pause(settings, deadline, "the disk copy did not catch up within " + settings.diskCopyTimeout(), wakeups);
        }
    }

    /** In the pre-switchover pause: the guest is stopped, so completing the mirrors makes the copies exact. */
    private static void completeMirrors(
            QemuInstance source,
            QemuMigrationSettings settings,
            long deadline,
            List<String> disks,
            String attempt,
            QmpWakeups wakeups) {
        for (String disk : disks) {
            source.execute("block-job-cancel", Map.of("device", MIRROR_JOB_PREFIX + disk));
        }
        while (!mirrorJobs(source).isEmpty()) {
            pause(settings, deadline, "the disk copy did not finish within " + settings.memoryTimeout(), wakeups);
        }
        for (String disk : disks) {
            source.execute("blockdev-del", Map.of("node-name", targetNode(attempt, disk)));
        }
    }

    static String targetNode(String attempt, String disk) {
        return TARGET_NODE_PREFIX + attempt + "-" + disk;
    }

    private static JsonNode awaitMigration(
            QemuInstance source,
            QemuMigrationSettings settings,
            long deadline,
            Set<String> alsoStopAt,
            QmpWakeups wakeups) {
        long figuresDeadline = 0;
        while (true) {
            JsonNode status = source.execute("query-migrate");
            String state = status.path("status").asText();
            if (figuresPending(status)) {
                long now = System.nanoTime();
                figuresDeadline = figuresDeadline == 0 ? now + FIGURES_WAIT.toNanos() : figuresDeadline;
                if (now - figuresDeadline < 0) {
                    wakeups.await(settings.pollInterval());
                    continue;
                }
            }
            if (FINAL_STATES.contains(state) || alsoStopAt.contains(state)) {
                return status;
            }
            pause(settings, deadline, "the migration did not complete within " + settings.memoryTimeout(), wakeups);
        }
    }

    /**
     * True if {@code status} (an answer to {@code query-migrate}) says {@code completed} but has no figures yet: QEMU
     * sets the state a moment before it records the total time and the downtime, and a query in between reads 0 for
     * both.
     */
    static boolean figuresPending(JsonNode status) {
        return status.path("status").asText().equals("completed")
                && status.path("total-time").asLong(0) <= 0;
    }

    /** Best effort after a failure: cancels the migration and the disk copies; the guest must run here again. */
    private static void recover(QemuInstance source, List<String> disks, String attempt) {
        ignoringFailure(() -> source.execute("migrate_cancel"));
        for (String disk : disks) {
            ignoringFailure(() ->
                    source.execute("block-job-cancel", Map.of("device", MIRROR_JOB_PREFIX + disk, "force", true)));
        }
        long jobsDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < jobsDeadline && mirrorsRemain(source)) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        for (String disk : disks) {
            ignoringFailure(() -> source.execute("blockdev-del", Map.of("node-name", targetNode(attempt, disk))));
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

    /**
     * While recovering: true if mirror jobs remain, false once none does or QEMU does not answer (it is busy ending the
     * jobs; the steps after this one still have to run).
     */
    private static boolean mirrorsRemain(QemuInstance source) {
        try {
            return !mirrorJobs(source).isEmpty();
        } catch (HypervisorException e) {
            log.warn("VM {}: the disk copies' state is unknown while recovering: {}", source.vmId(), e.getMessage());
            return false;
        }
    }

    /** The source's mirror jobs by job id. */
    private static Map<String, JsonNode> mirrorJobs(QemuInstance source) {
        Map<String, JsonNode> jobs = new HashMap<>();
        for (JsonNode job : source.execute("query-block-jobs")) {
            String id = job.path("device").asText();
            if (id.startsWith(MIRROR_JOB_PREFIX)) {
                jobs.put(id, job);
            }
        }
        return jobs;
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

    private static void pause(
            QemuMigrationSettings settings, long deadline, String timeoutMessage, QmpWakeups wakeups) {
        if (System.nanoTime() >= deadline) {
            throw new HypervisorException(timeoutMessage);
        }
        wakeups.await(settings.pollInterval());
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
