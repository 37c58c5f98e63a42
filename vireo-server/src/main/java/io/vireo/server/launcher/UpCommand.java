package io.vireo.server.launcher;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.Agent;
import io.vireo.agent.AgentConfig;
import io.vireo.agent.AgentIdentity;
import io.vireo.agent.DriverFactory;
import io.vireo.agent.qemu.QemuAccel;
import io.vireo.agent.qemu.QemuMigrationSettings;
import io.vireo.agent.qemu.VmNetwork;
import io.vireo.cli.CliEnvironment;
import io.vireo.controller.HostEnrollment;
import io.vireo.model.Host;
import io.vireo.server.VireoServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vireo up}: a whole cloud on this machine. The embedded PostgreSQL, the server and {@code --agents} local
 * agents run in this one process; the agents dial the server over real gRPC on loopback, each with its own state
 * directory under {@code DATA_DIR/agents/}. A local agent without a certificate is enrolled with a join token made
 * here (for the host of its name if there is one, as after an upgrade), like any other host: mutual TLS, its
 * certificate bound to its host id.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start Vireo on this machine: embedded PostgreSQL, the server and local agents.")
final class UpCommand implements Callable<Integer> {
    static final int MAX_AGENTS = 64;

    /** How long the join token of a local agent is usable: it enrolls at once. */
    static final Duration LOCAL_JOIN_TOKEN_VALIDITY = Duration.ofMinutes(10);

    private final CliEnvironment environment;

    @Mixin
    ServerOptions options = new ServerOptions();

    /** One process: the server's and the local agents' lines go out together, under the server's name. */
    @Mixin
    LogOptions logs = new LogOptions();

    @Option(names = "--agents", defaultValue = "1", description = "How many local agents (hosts) to run.")
    int agents;

    @Mixin
    HostLabels labels = new HostLabels();

    @Option(
            names = "--driver",
            description = "Hypervisor driver of the local agents: fake or qemu (default: qemu when installed).")
    @Nullable
    String driver;

    @Option(names = "--accel", defaultValue = "auto", description = "QEMU acceleration: auto, kvm or tcg.")
    String accel = "auto";

    @Option(
            names = "--image-cache-max-gib",
            defaultValue = "" + Drivers.DEFAULT_IMAGE_CACHE_MAX_GIB,
            description = "QEMU: each local agent's image download cache limit (default: ${DEFAULT-VALUE}).")
    long imageCacheMaxGib;

    @Option(
            names = "--vm-network",
            defaultValue = "auto",
            description = "QEMU: auto plugs each local agent's VMs into a bridge in a network namespace of that agent's"
                    + " own when Vireo may make network devices (root or CAP_NET_ADMIN), none leaves VMs' interfaces"
                    + " without a link (default: ${DEFAULT-VALUE}).")
    String vmNetwork = "auto";

    @Option(
            names = "--agent-metrics-listen",
            defaultValue = "127.0.0.1:0",
            description = "Where each local agent serves its Prometheus metrics (HOST:PORT, port 0 for a free one), or"
                    + " none (default: ${DEFAULT-VALUE}); the server lists them at /api/v1/metrics/targets.")
    String agentMetricsListen = "127.0.0.1:0";

    UpCommand(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (agents < 0 || agents > MAX_AGENTS) {
            throw new IllegalArgumentException("--agents must be 0.." + MAX_AGENTS);
        }
        logs.apply(ServerCommand.SERVER_APP_NAME);
        options.capacityDefaults(); // a bad value fails here, before anything starts
        options.alertmanagerUrls();
        Path dataDir = options.dataDir(environment.variables());
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        String driverName = driver == null ? Drivers.defaultDriver() : driver;
        if (driverName.equals(Drivers.QEMU) && !TestGuestBuilder.built(dataDir)) {
            environment.out().println("Building the test guest (first start with QEMU)...");
            environment.out().flush();
            TestGuestBuilder.build(dataDir);
        }
        if (!vmNetwork.equals("auto") && !vmNetwork.equals("none")) {
            throw new IllegalArgumentException("--vm-network must be auto or none, not " + vmNetwork);
        }
        boolean plugged = vmNetwork.equals("auto") && VmNetwork.available();
        List<String> capabilities = labels.capabilities();
        VireoServer server = VireoServer.start(options.config(environment.variables(), null, null, null));
        List<Agent> started = new ArrayList<>();
        DriverFactory drivers = Drivers.factory(
                VireoServer.imageDirectory(dataDir),
                null, // uploaded images come over each agent's mutual-TLS connection
                QemuAccel.fromSetting(accel),
                VireoServer.testGuestDirectory(dataDir),
                QemuMigrationSettings.defaults(),
                imageCacheMaxGib,
                plugged ? Drivers::namespacePerAgent : config -> VmNetwork.unplugged());
        for (int i = 1; i <= agents; i++) {
            Agent agent = new Agent(
                    agentConfig(server, dataDir, "local-" + i, driverName, capabilities),
                    drivers,
                    Clock.systemUTC(),
                    new SplittableRandom());
            agent.start();
            started.add(agent);
        }
        greet(server, dataDir, driverName, plugged);
        List<AutoCloseable> shutdownOrder = new ArrayList<>(started);
        shutdownOrder.add(server);
        shutdownOrder.add(lock);
        ServerCommand.awaitShutdown(shutdownOrder.toArray(AutoCloseable[]::new));
        return 0;
    }

    private AgentConfig agentConfig(
            VireoServer server, Path dataDir, String name, String driverName, List<String> capabilities) {
        AgentConfig config = AgentConfig.builder(
                        "127.0.0.1:" + server.agentPort(),
                        name,
                        dataDir.resolve("agents").resolve(name),
                        null)
                .driverName(driverName)
                .extraCapabilities(capabilities)
                .metricsListen(agentMetricsListen.equals("none") ? null : agentMetricsListen)
                .build();
        return config.toBuilder().joinToken(localJoinToken(server, config)).build();
    }

    /**
     * A join token for a local agent that has no certificate yet (its first start, or the first since an upgrade):
     * bound to the host of its name if that exists, so that the host keeps its id and VMs. Null if it has one.
     */
    static @Nullable String localJoinToken(VireoServer server, AgentConfig config) {
        if (AgentIdentity.load(config.identityDir()).isPresent()) {
            return null;
        }
        HostEnrollment enrollment = server.hostEnrollment();
        UUID existing =
                server.store().hosts().findByName(config.name()).map(Host::id).orElse(null);
        return enrollment.createJoinToken(existing, LOCAL_JOIN_TOKEN_VALIDITY).text();
    }

    private void greet(VireoServer server, Path dataDir, String driverName, boolean plugged) {
        PrintStream out = environment.out();
        out.println("Vireo is up.");
        out.println("  API:         " + server.apiUrl() + "  (OpenAPI: " + server.apiUrl() + "/api/v1/openapi.json)");
        server.apiTrustFile()
                .ifPresent(ca -> out.println("  API CA:      " + ca + "  (the CLI here trusts it; curl --cacert " + ca
                        + " -H \"Authorization: Bearer $(cat " + dataDir.resolve("admin-token") + ")\" "
                        + server.apiUrl() + "/api/v1/hosts)"));
        out.println("  Admin:       user admin, password in " + VireoServer.adminPasswordFile(dataDir) + "; token in "
                + dataDir.resolve("admin-token"));
        out.println("  Agents:      " + agents + " local (driver " + driverName + "), state in "
                + dataDir.resolve("agents"));
        if (driverName.equals(Drivers.QEMU)) {
            out.println("  VM network:  "
                    + (plugged
                            ? "bridge " + VmNetwork.DEFAULT_BRIDGE + " in a network namespace per agent (ip netns list)"
                            : "none: VMs' network interfaces have no link ("
                                    + (vmNetwork.equals("none")
                                            ? "--vm-network none"
                                            : "making network devices needs root or CAP_NET_ADMIN")
                                    + ")"));
        }
        out.println("  Metrics:     " + server.apiUrl() + "/metrics, agents' targets at " + server.apiUrl()
                + "/api/v1/metrics/targets (token of an admin-project user; agents: "
                + VireoServer.metricsTokenFile(dataDir)
                + ")");
        out.println("  Data:        " + dataDir);
        out.println("Try, in another terminal (this machine's CLI uses the admin token by itself; elsewhere, log in):");
        out.println("  ./vireo login --user admin --password-file " + VireoServer.adminPasswordFile(dataDir));
        out.println("  ./vireo vm create --name web1 --flavor small --image test-guest");
        out.println("  ./vireo vm list");
        out.println("Ctrl-C stops Vireo.");
        out.flush();
    }
}
