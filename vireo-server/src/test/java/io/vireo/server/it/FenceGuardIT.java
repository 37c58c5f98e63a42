package io.vireo.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.common.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence guard as an operator runs it (ADR 22): real server, agent and {@code vireo fence-guard} processes, and a
 * real QEMU (an empty machine, daemonised, its pid file where the QEMU driver keeps it, its VM id on its command line)
 * standing for a guest. A guard cut off from the server ends the agent and the QEMU within the deadline plus a second,
 * before the server calls the host FENCED; two guards that both lose the server keep everything (each answers the
 * other that it lost the control plane too).
 */
class FenceGuardIT {
    /** The default timings (HaSettings, GuardSettings). */
    private static final Duration RENEWAL = Duration.ofSeconds(1);

    private static final Duration DEADLINE = Duration.ofSeconds(8);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    private final List<Long> qemus = new ArrayList<>();

    @BeforeAll
    static void requireQemu() {
        assumeThat(Executables.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();
    }

    @AfterEach
    void killLeftQemus() {
        for (long pid : qemus) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aGuardCutOffFromTheServerEndsTheAgentAndTheQemuBeforeTheServerCallsItsHostFenced() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "fence-cut");
                TcpRelay relay = new TcpRelay(cluster.agentPort)) {
            VireoProcess agent = cluster.startAgent("host-a", relay.address(), List.of());
            Path stateDir = cluster.agentStateDir("host-a");
            // three more guarded hosts, so that one SUSPECT host is below the server's mass-SUSPECT share (30%); their
            // guards do not listen, so host-a's guard has no peer to answer it; their agents only enroll the hosts
            List<String> others = List.of("host-b", "host-c", "host-d");
            for (String other : others) {
                cluster.startAgent(other);
            }
            awaitHosts(cluster, 4);
            for (String other : others) {
                cluster.agent(other).close();
                cluster.track(VireoProcess.start(
                        "fence-cut-guard-" + other,
                        List.of(
                                "fence-guard",
                                "--server",
                                "127.0.0.1:" + cluster.agentPort,
                                "--state-dir",
                                cluster.agentStateDir(other).toString())));
            }
            long qemu = startQemu(stateDir, UUID.randomUUID());
            cluster.track(startGuard(cluster, "fence-cut", "host-a", relay.address()));
            awaitLog("fence-cut-guard-host-a", "peers now 0 of 4 guarded hosts");

            long cut = System.nanoTime();
            relay.cut();

            await("the guard ends the QEMU within the deadline and a second")
                    .atMost(DEADLINE.plus(Duration.ofSeconds(1)))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !running(qemu));
            Duration killedAfter = Duration.ofNanos(System.nanoTime() - cut);
            assertThat(killedAfter)
                    .as("not before the deadline, counted from the last renewal granted (at most about a renewal"
                            + " interval before the cut)")
                    .isGreaterThan(DEADLINE.minus(RENEWAL).minus(Duration.ofMillis(1500)));
            assertThat(stateDir.resolve("fenced")).as("the fence marker").exists();
            assertThat(agent.awaitExit(Duration.ofSeconds(5)))
                    .as("the agent was ended")
                    .isTrue();

            await("the server calls the host FENCED")
                    .atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> hostState(cluster, "host-a").equals("FENCED"));
            Duration fencedAfter = Duration.ofNanos(System.nanoTime() - cut);
            assertThat(fencedAfter)
                    .as("the server waits for the deadline and the margin after the last committed renewal")
                    .isGreaterThan(DEADLINE.plus(MARGIN).minus(RENEWAL).minus(Duration.ofMillis(500)))
                    .isGreaterThan(killedAfter);
        }
    }

    @Test
    void twoGuardsThatBothLoseTheServerHoldAndEndNothing() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "fence-hold")) {
            String server = "127.0.0.1:" + cluster.agentPort;
            VireoProcess agentA = cluster.startAgent("host-a");
            cluster.startAgent("host-b");
            awaitHosts(cluster, 2);
            long qemu = startQemu(cluster.agentStateDir("host-a"), UUID.randomUUID());
            cluster.track(startGuard(cluster, "fence-hold", "host-a", server));
            cluster.track(startGuard(cluster, "fence-hold", "host-b", server));
            awaitLog("fence-hold-guard-host-a", "peers now 1 of 2 guarded hosts");
            awaitLog("fence-hold-guard-host-b", "peers now 1 of 2 guarded hosts");

            cluster.killServer();

            await("both guards hold, and the QEMU and the agent live on")
                    .during(DEADLINE.plus(MARGIN).plus(Duration.ofSeconds(2)))
                    .atMost(DEADLINE.plus(MARGIN).plus(Duration.ofSeconds(10)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> running(qemu)
                            && agentA.alive()
                            && !Files.exists(cluster.agentStateDir("host-a").resolve("fenced")));
            assertThat(log("fence-hold-guard-host-a")).contains("verdict HOLD").doesNotContain("verdict FENCE");
            assertThat(log("fence-hold-guard-host-b")).contains("verdict HOLD").doesNotContain("verdict FENCE");
        }
    }

    private static VireoProcess startGuard(Cluster cluster, String test, String host, String server)
            throws IOException {
        Files.deleteIfExists(Path.of("target", "it-logs", test + "-guard-" + host + ".log"));
        return VireoProcess.start(
                test + "-guard-" + host,
                List.of(
                        "fence-guard",
                        "--server",
                        server,
                        "--state-dir",
                        cluster.agentStateDir(host).toString(),
                        "--listen",
                        "127.0.0.1:" + Cluster.freePort()));
    }

    /** A real QEMU as the QEMU driver leaves one: daemonised, pid file in its VM's directory, VM id as an argument. */
    private long startQemu(Path stateDir, UUID vmId) throws IOException, InterruptedException {
        Path vmDir = stateDir.resolve("qemu").resolve(vmId.toString());
        Files.createDirectories(vmDir);
        Path pidFile = vmDir.resolve("qemu.pid");
        Process launcher = new ProcessBuilder(
                        "qemu-system-x86_64",
                        "-name",
                        vmId.toString(),
                        "-machine",
                        "none",
                        "-accel",
                        "tcg",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-daemonize",
                        "-pidfile",
                        pidFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(vmDir.resolve("launch.log").toFile())
                .start();
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue())
                .as("QEMU started: %s", Files.readString(vmDir.resolve("launch.log")))
                .isZero();
        long pid = Long.parseLong(Files.readString(pidFile, UTF_8).strip());
        qemus.add(pid);
        assertThat(running(pid)).isTrue();
        return pid;
    }

    /** Whether the process runs (a killed daemon may linger as a zombie until init reaps it). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitHosts(Cluster cluster, int count) {
        await("hosts registered")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.api().hosts().size() == count);
    }

    private static String hostState(Cluster cluster, String name) throws IOException, InterruptedException {
        for (JsonNode host : cluster.api().hosts()) {
            if (host.get("name").asText().equals(name)) {
                return host.get("state").asText();
            }
        }
        return "";
    }

    private static void awaitLog(String process, String line) {
        await(process + " logs '" + line + "'")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> log(process).contains(line));
    }

    private static String log(String process) {
        Path file = Path.of("target", "it-logs", process + ".log");
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
