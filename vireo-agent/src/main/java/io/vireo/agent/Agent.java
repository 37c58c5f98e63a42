package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.metrics.AgentMetricsEndpoint;
import io.vireo.agent.metrics.MetricsExposition;
import io.vireo.agent.metrics.ScrapeCredential;
import io.vireo.agent.metrics.VmMetricsCollector;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.agent.usage.AllocationUsageSource;
import io.vireo.agent.usage.HostUsageSource;
import io.vireo.agent.usage.ProcUsageSource;
import io.vireo.agent.usage.VmMetricsSampler;
import io.vireo.model.HostRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host agent: the composition root of a driver, a {@link VmReconciler} and an {@link AgentClient}. Runs
 * in-process (the all-in-one {@code vireo up} starts agents inside the server's JVM) or as its own process through
 * {@link #run(AgentConfig)}.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Closing ends the connection and the reconciler, but
 * leaves the VMs running, as a restarted agent adopts them again. Thread-safe; {@code close} is idempotent.
 */
public final class Agent implements AutoCloseable {
    /** {@link #run} result: interrupted or shut down. */
    public static final int EXIT_OK = 0;
    /** {@link #run} result: could not start (bad configuration, unreadable token file, broken driver). */
    public static final int EXIT_FAILED = 1;
    /** {@link #run} result: the server refused the agent's credential. */
    public static final int EXIT_REFUSED = 2;

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final HypervisorDriver driver;
    private final VmReconciler reconciler;
    private final ReconcilerLoop loop;
    private final AgentClient client;
    private final @Nullable AgentMetricsEndpoint metricsEndpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An agent with the built-in drivers ({@link DriverFactory#builtIn()}). */
    public Agent(AgentConfig config, Clock clock, RandomGenerator random) {
        this(config, DriverFactory.builtIn(), clock, random);
    }

    /**
     * An agent whose driver comes from {@code drivers}. Each part gets its own generator seeded from {@code random},
     * since generators need not be thread-safe and the parts run on different threads.
     */
    public Agent(AgentConfig config, DriverFactory drivers, Clock clock, RandomGenerator random) {
        this(config, drivers, clock, random, null);
    }

    /**
     * An agent whose driver comes from {@code drivers} and that tells {@code roundTrips} how long the server takes to
     * record each of its heartbeats (null: it does not ask the server to acknowledge them).
     */
    public Agent(
            AgentConfig config,
            DriverFactory drivers,
            Clock clock,
            RandomGenerator random,
            @Nullable HeartbeatRoundTrips roundTrips) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(drivers, "drivers is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
        this.driver = drivers.create(config, clock, new SplittableRandom(random.nextLong()));
        ExecutorService operations = ReconcilerLoop.operationsExecutor();
        this.reconciler = new VmReconciler(
                driver,
                config.stateDir(),
                config.reconcilerSettings(),
                clock,
                new SplittableRandom(random.nextLong()),
                operations);
        this.loop = new ReconcilerLoop(reconciler, operations, config.reconcilerSettings());
        HostInventory inventory = driver.inventory();
        HostUsageSource usage = driver.name().equals(FakeDriver.NAME)
                ? new AllocationUsageSource(reconciler, inventory.capacity())
                : new ProcUsageSource(Path.of("/proc"), config.stateDir(), reconciler);
        List<String> capabilities = new ArrayList<>(inventory.capabilities());
        config.extraCapabilities().stream()
                .filter(capability -> !capabilities.contains(capability))
                .forEach(capabilities::add);
        config.requireReservationWithin(inventory.capacity());
        HostRegistration registration = new HostRegistration(
                config.name(), inventory.capacity(), capabilities, driver.name(), config.reservation());
        VmMetricsSampler sampler = new VmMetricsSampler(driver, VmMetricsSampler.DEFAULT_MAX_VMS);
        ScrapeCredential credential = new ScrapeCredential();
        this.metricsEndpoint = config.metricsListen() == null ? null : metricsEndpoint(config, sampler, credential);
        this.client = new AgentClient(
                config,
                registration,
                version(),
                reconciler,
                driver,
                usage,
                sampler,
                clock,
                new SplittableRandom(random.nextLong()),
                roundTrips,
                metricsEndpoint == null ? null : new MetricsListener(metricsEndpoint.port(), credential));
    }

    /**
     * The agent's {@code /metrics}: its VMs' latest samples and the agent's JVM, in a registry of its own (ADR 21).
     * Binds here, so that a port in use fails the start and the bound port is known before registering.
     */
    private static AgentMetricsEndpoint metricsEndpoint(
            AgentConfig config, VmMetricsSampler sampler, ScrapeCredential credential) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        registry.getPrometheusRegistry().register(new VmMetricsCollector(sampler::latest));
        return AgentMetricsEndpoint.start(
                config.metricsHost(), config.metricsPort(), new MetricsExposition(registry), credential);
    }

    /** The port of the agent's {@code /metrics}, if it serves them. */
    public Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsEndpoint).map(AgentMetricsEndpoint::port);
    }

    /** Adopts the VMs the driver already runs, then connects to the server; returns without waiting for it. */
    public void start() {
        reconciler.start(client::send);
        loop.start();
        client.start();
        log.info(
                "Agent {} started: driver {}, server {}, state in {}",
                config.name(),
                driver.name(),
                config.serverAddress(),
                config.stateDir());
    }

    /** Completes if the server refuses the agent's credential; the agent has then stopped talking to it. */
    public CompletableFuture<AgentRefusal> refusal() {
        return client.refusal();
    }

    /** Whether a registered stream to the server is open now. */
    public boolean connected() {
        return client.connected();
    }

    /** The host id of the agent's certificate, once it has one. */
    public Optional<UUID> certificateHostId() {
        return client.certificateHostId();
    }

    /** The host id the server gave at the last registration. */
    public Optional<String> hostId() {
        return client.hostId();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            loop.close();
            driver.close();
            log.info("Agent {} stopped; its VMs keep running", config.name());
        }
    }

    /**
     * Runs an agent with the built-in drivers until the thread is interrupted, the JVM shuts down, or the server
     * refuses the credential. Returns the process exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED} or
     * {@link #EXIT_REFUSED}.
     */
    public static int run(AgentConfig config) {
        return run(config, DriverFactory.builtIn());
    }

    /** {@link #run(AgentConfig)} with other drivers. */
    public static int run(AgentConfig config, DriverFactory drivers) {
        Path tokenFile = config.tokenFile();
        if (tokenFile != null && !Files.isReadable(tokenFile)) {
            log.error("Cannot read the token file {}", tokenFile);
            return EXIT_FAILED;
        }
        Agent agent;
        try {
            agent = new Agent(config, drivers, Clock.systemUTC(), RandomGenerator.getDefault());
        } catch (IllegalArgumentException e) {
            log.error("Agent {} cannot start: {}", config.name(), e.getMessage());
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            log.error("Agent {} cannot start", config.name(), e);
            return EXIT_FAILED;
        }
        try {
            agent.start();
            // the host's fence guard ends this process before it ends the VMs (ADR 22)
            AgentPidFile.writeCurrent(config.stateDir());
        } catch (RuntimeException e) {
            log.error("Agent {} cannot start", config.name(), e);
            agent.close();
            return EXIT_FAILED;
        }
        Thread hook = Thread.ofPlatform().name("vireo-agent-shutdown").unstarted(() -> {
            agent.close();
            AgentPidFile.removeCurrent(config.stateDir());
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            AgentRefusal refusal = agent.refusal().get();
            log.error("Agent {} refused by the server: {} {}", config.name(), refusal.code(), refusal.message());
            return EXIT_REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        } catch (ExecutionException e) {
            log.error("Agent {} failed", config.name(), e.getCause());
            return EXIT_FAILED;
        } finally {
            removeShutdownHook(hook);
            agent.close();
            AgentPidFile.removeCurrent(config.stateDir());
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is closing the agent.
        }
    }

    private static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
