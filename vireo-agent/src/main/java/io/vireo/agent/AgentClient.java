package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.migration.AgentMigrations;
import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.agent.support.ExponentialBackoff;
import io.vireo.agent.usage.HostUsageSource;
import io.vireo.agent.usage.VmMetricsSampler;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.model.HostRegistration;
import io.vireo.proto.agent.v1.AgentServiceGrpc;
import io.vireo.proto.agent.v1.Registered;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the agent protocol: dials the server (plaintext for now), authenticates with the bearer token of
 * {@link AgentConfig#tokenFile()}, opens {@code AgentService.Connect}, registers, feeds the server's desired state to
 * the {@link VmReconciler}, and sends the reconciler's reports and a heartbeat every interval.
 *
 * <p>When a stream fails or the server closes it, the client reconnects after a capped, jittered exponential backoff
 * ({@link AgentConfig#reconnectBackoffMin()} to {@link AgentConfig#reconnectBackoffMax()}, reset once registered),
 * re-reads the token, registers again and resynchronises: the server sends its full desired set and the agent a full
 * report. The VMs keep running meanwhile. A refusal of the credential ends the client for good: {@link #refusal()}
 * completes and nothing reconnects.
 *
 * <p>The server's console requests are answered by {@link ConsoleReads}, off the transport thread.
 *
 * <p>Threading: connection attempts, backoff and heartbeats run on one scheduler thread; stream callbacks run on
 * gRPC's threads; {@link #send(ObservedReport)} is called on the reconciler's loop thread and never blocks.
 */
public final class AgentClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentClient.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AgentConfig config;
    private final HostRegistration registration;
    private final String agentVersion;
    private final VmReconciler reconciler;
    private final ConsoleReads consoleReads;
    private final AgentMigrations migrations;
    private final ExecutorService migrationSteps;
    private final HostUsageSource usage;
    private final VmMetricsSampler metrics;
    private final ExponentialBackoff backoff;
    private final ScheduledExecutorService scheduler;
    private final ManagedChannel channel;
    private final CompletableFuture<AgentRefusal> refusal = new CompletableFuture<>();
    private final AtomicInteger registrations = new AtomicInteger();
    private volatile @Nullable AgentSession current;
    private volatile @Nullable String hostId;
    private volatile boolean closed;

    // Confined to the scheduler thread.
    private int attempt;
    private long sessions;
    private @Nullable ScheduledFuture<?> heartbeats;

    public AgentClient(
            AgentConfig config,
            HostRegistration registration,
            String agentVersion,
            VmReconciler reconciler,
            HypervisorDriver driver,
            HostUsageSource usage,
            VmMetricsSampler metrics,
            RandomGenerator random) {
        this.config = requireNonNull(config, "config is null");
        this.registration = requireNonNull(registration, "registration is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.consoleReads = new ConsoleReads(driver);
        this.migrationSteps = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("vireo-migration-", 0).factory());
        this.migrations = new AgentMigrations(driver, migrationSteps, reconciler::departed, update -> {
            AgentSession session = current;
            if (session != null) {
                session.sendMigrationUpdate(update);
            }
        });
        this.usage = requireNonNull(usage, "usage is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.backoff = new ExponentialBackoff(config.reconnectBackoffMin(), config.reconnectBackoffMax(), random);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("vireo-agent-client").factory());
        this.channel = Grpc.newChannelBuilderForAddress(
                        config.serverHost(), config.serverPort(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(config.maxMessageBytes())
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .build();
    }

    /** Starts connecting; returns at once. */
    public void start() {
        scheduler.execute(this::connect);
    }

    /** Passes a reconciler report to the server if a registered stream can take it; see {@link AgentSession}. */
    public void send(ObservedReport report) {
        AgentSession session = current;
        if (session != null) {
            session.sendReport(report);
        }
    }

    /** Completes if the server refuses the agent's credential; the client has then stopped for good. */
    public CompletableFuture<AgentRefusal> refusal() {
        return refusal;
    }

    /** The host id from the last {@code Registered}, if any. */
    public Optional<String> hostId() {
        return Optional.ofNullable(hostId);
    }

    /** Whether a stream is open and registered now. */
    public boolean connected() {
        AgentSession session = current;
        return session != null && session.registered();
    }

    /** How many times the server has accepted a registration since start. */
    public int registrations() {
        return registrations.get();
    }

    /** Ends the stream and the channel; waits at most {@code shutdownTimeout}. The VMs are not touched. */
    @Override
    public void close() {
        closed = true;
        AgentSession session = current;
        if (session != null) {
            session.cancel("agent shutting down");
        }
        scheduler.shutdownNow();
        consoleReads.close();
        migrationSteps.shutdownNow();
        channel.shutdownNow();
        try {
            channel.awaitTermination(config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        String token;
        try {
            token = readToken();
        } catch (IOException | IllegalStateException e) {
            log.warn("Cannot read the token file {}: {}", config.tokenFile(), e.getMessage());
            scheduleReconnect();
            return;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        AgentSession session =
                new AgentSession(++sessions, reconciler, consoleReads, migrations, new SessionListener());
        current = session;
        try {
            channel.resetConnectBackoff();
            AgentServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .connect(session);
        } catch (RuntimeException e) {
            // Only a channel shut down under us gets here; the stream's own failures arrive as onError.
            log.warn("Cannot open a stream to {}: {}", config.serverAddress(), e.toString());
            current = null;
            scheduleReconnect();
            return;
        }
        session.sendRegister(ProtoMapping.toRegister(registration, agentVersion));
        scheduler.schedule(
                () -> {
                    if (!session.registered()) {
                        session.cancel("no Registered within " + config.registrationTimeout());
                    }
                },
                config.registrationTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        log.debug("Session {}: connecting to {}", session.number(), config.serverAddress());
    }

    private String readToken() throws IOException {
        String token =
                Files.readString(config.tokenFile(), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IllegalStateException("the token file is empty");
        }
        return token;
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        Duration delay = backoff.delay(attempt++);
        log.info("Reconnecting to {} in {} ms", config.serverAddress(), delay.toMillis());
        scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onRegistered(AgentSession session, Registered registered) {
        if (session != current || closed) {
            return;
        }
        attempt = 0;
        if (registered.getProtocolVersion() != 0 && registered.getProtocolVersion() != ProtoMapping.PROTOCOL_VERSION) {
            log.warn(
                    "The server speaks protocol {}, this agent {}",
                    registered.getProtocolVersion(),
                    ProtoMapping.PROTOCOL_VERSION);
        }
        long intervalMillis = registered.getHeartbeatIntervalMillis();
        Duration interval = intervalMillis > 0 ? Duration.ofMillis(intervalMillis) : config.heartbeatFallback();
        cancelHeartbeats();
        heartbeats =
                scheduler.scheduleAtFixedRate(() -> heartbeat(session), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        log.info(
                "Registered with {} as host {} (session {}, heartbeat every {} ms)",
                config.serverAddress(),
                registered.getHostId(),
                session.number(),
                interval.toMillis());
        migrations.resend();
    }

    private void heartbeat(AgentSession session) {
        try {
            session.sendHeartbeat(usage.sample(), metrics.latestAndRefresh());
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed: {}", e.toString());
        }
    }

    private void onEnded(AgentSession session, @Nullable AgentRefusal fatal, String reason) {
        if (session != current) {
            return;
        }
        current = null;
        cancelHeartbeats();
        if (fatal != null) {
            log.error("The server refused this agent ({}: {}); not reconnecting", fatal.code(), fatal.message());
            refusal.complete(fatal);
            return;
        }
        if (!closed) {
            log.warn("Session {} ended: {}", session.number(), reason);
            scheduleReconnect();
        }
    }

    private void cancelHeartbeats() {
        ScheduledFuture<?> running = heartbeats;
        if (running != null) {
            running.cancel(false);
            heartbeats = null;
        }
    }

    /** Moves session callbacks from gRPC's threads to the scheduler, which owns the connection state. */
    private final class SessionListener implements AgentSession.Listener {
        @Override
        public void registered(AgentSession session, Registered registered) {
            // Visible at once, before the session asks for its first full report.
            hostId = registered.getHostId();
            registrations.incrementAndGet();
            runOnScheduler(() -> onRegistered(session, registered));
        }

        @Override
        public void ended(AgentSession session, @Nullable AgentRefusal fatal, String reason) {
            runOnScheduler(() -> onEnded(session, fatal, reason));
        }

        private void runOnScheduler(Runnable task) {
            if (!closed) {
                try {
                    scheduler.execute(task);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    log.debug("Client closed; dropping a session event");
                }
            }
        }
    }
}
