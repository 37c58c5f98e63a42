package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.Agent;
import io.vireo.agent.AgentConfig;
import io.vireo.agent.AgentIdentity;
import io.vireo.agent.DriverFactory;
import io.vireo.agent.HeartbeatRoundTrips;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many hosts in this one process, each a real {@link Agent}: its own state directory, its own key and certificate
 * (enrolled with a one-time join token, as {@code vireo agent --join-token} does), its own gRPC channel and mutual-TLS
 * stream, its own reconciler over a fake driver whose VMs boot in 100-500 ms, heartbeats at the interval the server
 * sets. What they share is what gRPC and the JVM share anyway: Netty's event loops, gRPC's executor and timer, and the
 * virtual-thread scheduler that runs each agent's loops.
 *
 * <p>Thread-safe; {@link #close} is idempotent.
 */
final class SimulatedHosts implements AutoCloseable {
    /** A fake VM boots in this long at least... */
    static final Duration BOOT_DELAY_MIN = Duration.ofMillis(100);
    /** ...and at most, uniformly between. */
    static final Duration BOOT_DELAY_MAX = Duration.ofMillis(500);

    private static final Duration JOIN_TOKEN_VALIDITY = Duration.ofMinutes(30);
    private static final Duration ENROLLMENT_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final String agentAddress;
    private final HeartbeatRoundTrips roundTrips;
    private final long seed;
    private final DriverFactory drivers = DriverFactory.builtIn();
    private final SecureRandom secureRandom = new SecureRandom();
    private final List<Agent> agents = new ArrayList<>();

    SimulatedHosts(Path directory, String agentAddress, HeartbeatRoundTrips roundTrips, long seed) {
        this.directory = requireNonNull(directory, "directory is null");
        this.agentAddress = requireNonNull(agentAddress, "agentAddress is null");
        this.roundTrips = requireNonNull(roundTrips, "roundTrips is null");
        this.seed = seed;
    }

    static String name(int index) {
        return "bench-" + index;
    }

    private Path stateDir(int index) {
        return directory.resolve(name(index));
    }

    /**
     * Enrolls hosts 1..{@code count}, {@code concurrency} at a time on {@code executor}: each makes a join token
     * ({@code POST /api/v1/hosts/join-tokens}) and enrolls with it over TLS, keeping its key and certificate in its
     * state directory. Tokens are made one per enrollment, so at most {@code concurrency} are usable at once.
     */
    /** How long the two calls of an enrollment took: making the join token, enrolling with it. */
    record EnrollmentTimes(Latencies tokens, Latencies enrollments) {}

    EnrollmentTimes enroll(int count, ApiClient api, ExecutorService executor, int concurrency)
            throws InterruptedException {
        Latencies tokens = new Latencies();
        Latencies enrollments = new Latencies();
        AtomicInteger next = new AtomicInteger(1);
        String host = agentAddress.substring(0, agentAddress.lastIndexOf(':'));
        int port = Integer.parseInt(agentAddress.substring(agentAddress.lastIndexOf(':') + 1));
        List<Future<?>> workers = new ArrayList<>();
        for (int worker = 0; worker < concurrency; worker++) {
            workers.add(executor.submit(() -> {
                for (int index = next.getAndIncrement(); index <= count; index = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    String token = api.call(
                                    "POST",
                                    "/hosts/join-tokens",
                                    Map.of("expiresInSeconds", JOIN_TOKEN_VALIDITY.toSeconds()))
                            .path("token")
                            .asText();
                    long made = System.nanoTime();
                    tokens.record(start, made);
                    AgentIdentity.enroll(
                            host,
                            port,
                            name(index),
                            token,
                            stateDir(index).resolve("identity"),
                            ENROLLMENT_TIMEOUT,
                            secureRandom);
                    enrollments.record(made, System.nanoTime());
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("enrollment failed: " + e.getCause(), e.getCause());
            }
        }
        return new EnrollmentTimes(tokens, enrollments);
    }

    /** Starts the agents of hosts 1..{@code count}, which must be enrolled; returns without waiting for them. */
    synchronized void start(int count) {
        for (int index = 1; index <= count; index++) {
            AgentConfig config = AgentConfig.builder(agentAddress, name(index), stateDir(index), null)
                    .fakeBootDelay(BOOT_DELAY_MIN, BOOT_DELAY_MAX)
                    .build();
            Agent agent = new Agent(config, drivers, Clock.systemUTC(), new SplittableRandom(seed + index), roundTrips);
            agent.start();
            agents.add(agent);
        }
    }

    /** How many agents have a registered stream open now. */
    synchronized int connected() {
        int connected = 0;
        for (Agent agent : agents) {
            connected += agent.connected() ? 1 : 0;
        }
        return connected;
    }

    synchronized int size() {
        return agents.size();
    }

    /** Stops every agent (in parallel on {@code executor}); their fake VMs stay on disk. */
    void close(ExecutorService executor) {
        List<Agent> all;
        synchronized (this) {
            all = List.copyOf(agents);
            agents.clear();
        }
        List<Future<?>> closing = new ArrayList<>();
        for (Agent agent : all) {
            closing.add(executor.submit(agent::close));
        }
        for (Future<?> future : closing) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // an agent that fails to close is abandoned with the process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        List<Agent> all;
        synchronized (this) {
            all = List.copyOf(agents);
            agents.clear();
        }
        all.forEach(Agent::close);
    }
}
