package io.vireo.server.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole Vireo deployment of real processes on loopback: one {@code vireo server} (embedded PostgreSQL in its data
 * directory) and any number of {@code vireo agent}s with the fake driver. Ports are chosen once and kept across
 * restarts, so a restarted server is found where the agents expect it.
 */
final class Cluster implements AutoCloseable {
    final Path dataDir;
    final int apiPort;
    final int agentPort;
    private final String testName;
    private int serverStarts;
    private VireoProcess server;
    private final Map<String, VireoProcess> agents = new LinkedHashMap<>();
    private final List<VireoProcess> others = new ArrayList<>();

    private final List<String> serverOptions;

    Cluster(Path dataDir, String testName) {
        this(dataDir, testName, List.of());
    }

    /** As {@link #Cluster(Path, String)}, with more options for {@code vireo server} (an external database, say). */
    Cluster(Path dataDir, String testName, List<String> serverOptions) {
        this.dataDir = dataDir;
        this.testName = testName;
        this.serverOptions = List.copyOf(serverOptions);
        this.apiPort = freePort();
        this.agentPort = freePort();
        this.server = startServer();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private VireoProcess startServer() {
        List<String> arguments = new ArrayList<>(List.of(
                "server",
                "--data-dir",
                dataDir.toString(),
                "--api-port",
                String.valueOf(apiPort),
                "--agent-port",
                String.valueOf(agentPort)));
        arguments.addAll(serverOptions);
        VireoProcess process = VireoProcess.start(testName + "-server-" + (++serverStarts), arguments);
        awaitApi();
        return process;
    }

    void awaitApi() {
        await("API up on " + apiPort)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> Files.exists(dataDir.resolve("admin-token"))
                        && api().get("/hosts").status() == 200);
    }

    /** The admin-token client, over HTTPS trusting the CA the server wrote to its data directory. */
    ApiClient api() {
        return ApiClient.local(dataDir, apiPort);
    }

    VireoProcess startAgent(String name) {
        return startAgent(name, List.of());
    }

    /** An agent with {@code extraArguments} after the usual ones, e.g. {@code --reserved-memory-mib 4096}. */
    VireoProcess startAgent(String name, List<String> extraArguments) {
        return startAgent(name, "127.0.0.1:" + agentPort, extraArguments);
    }

    /** An agent that dials the server at {@code serverAddress} (through a relay, say). */
    VireoProcess startAgent(String name, String serverAddress, List<String> extraArguments) {
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "agent",
                "--server",
                serverAddress,
                "--name",
                name,
                "--state-dir",
                dataDir.resolve("agents").resolve(name).toString(),
                "--join-token",
                joinToken(name),
                "--driver",
                "fake",
                "--fake-boot-delay-ms",
                "100",
                "--fake-vcpus",
                "128"));
        arguments.addAll(extraArguments);
        VireoProcess agent = VireoProcess.start(testName + "-agent-" + name, arguments);
        agents.put(name, agent);
        return agent;
    }

    /**
     * A join token from the API, as an operator makes one. A restarted agent keeps the certificate it enrolled with and
     * leaves the new token unused.
     */
    private String joinToken(String name) {
        try {
            ApiClient.Response response = api().post("/hosts/join-tokens", Map.of("expiresInSeconds", 600), Map.of());
            if (response.status() != 201) {
                throw new IllegalStateException("cannot make a join token for " + name + ": " + response);
            }
            return response.body().path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state directory of the agent named {@code name}. */
    Path agentStateDir(String name) {
        return dataDir.resolve("agents").resolve(name);
    }

    VireoProcess agent(String name) {
        VireoProcess agent = agents.get(name);
        if (agent == null) {
            throw new IllegalArgumentException("no agent " + name);
        }
        return agent;
    }

    /** The server process of the current start. */
    VireoProcess server() {
        return server;
    }

    void killServer() throws InterruptedException {
        server.kill9();
    }

    void restartServer() {
        server = startServer();
    }

    void track(VireoProcess process) {
        others.add(process);
    }

    @Override
    public void close() throws InterruptedException {
        for (VireoProcess agent : agents.values()) {
            agent.close();
        }
        for (VireoProcess other : others) {
            other.close();
        }
        server.close();
    }
}
