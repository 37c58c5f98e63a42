package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.migration.AgentMigrations;
import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.agent.support.ExponentialBackoff;
import io.vireo.agent.usage.HostUsageSource;
import io.vireo.agent.usage.VmMetricsSampler;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.model.HostRegistration;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.Certificates;
import io.vireo.proto.agent.v1.AgentServiceGrpc;
import io.vireo.proto.agent.v1.CertificateIssued;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.Registered;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
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
 * The agent's side of the agent protocol: dials the server over mutual TLS with the host's certificate
 * ({@link AgentIdentity}, enrolled first with the join token of {@link AgentConfig#joinToken()} if the state directory
 * has none), opens {@code AgentService.Connect}, registers as the certificate's host, feeds the server's desired state
 * to the {@link VmReconciler}, and sends the reconciler's reports and a heartbeat every interval. With each heartbeat it
 * checks the certificate and asks for a renewed one over the stream once less than a third of its validity is left.
 *
 * <p>When a stream fails or the server closes it, the client reconnects after a capped, jittered exponential backoff
 * ({@link AgentConfig#reconnectBackoffMin()} to {@link AgentConfig#reconnectBackoffMax()}, reset once registered),
 * registers again and resynchronises: the server sends its full desired set and the agent a full report. The VMs keep
 * running meanwhile. A refusal of the credential (of the join token, or of the certificate) ends the client for good:
 * {@link #refusal()} completes and nothing reconnects.
 *
 * <p>The server's console requests are answered by {@link ConsoleReads}, off the transport thread.
 *
 * <p>Threading: connection attempts, backoff and heartbeats run on one scheduler thread; stream callbacks run on
 * gRPC's threads; {@link #send(ObservedReport)} is called on the reconciler's loop thread and never blocks.
 */
public final class AgentClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentClient.class);

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
    private final Clock clock;
    private final @Nullable HeartbeatRoundTrips roundTrips;
    private final @Nullable MetricsListener metricsListener;
    private final SecureRandom secureRandom = new SecureRandom();
    private volatile @Nullable ManagedChannel channel;
    private volatile @Nullable AgentIdentity identity;
    private final CompletableFuture<AgentRefusal> refusal = new CompletableFuture<>();
    private final AtomicInteger registrations = new AtomicInteger();
    private volatile @Nullable AgentSession current;
    private volatile @Nullable String hostId;
    private volatile boolean closed;

    // Confined to the scheduler thread.
    private int attempt;
    private long sessions;
    private @Nullable ScheduledFuture<?> heartbeats;
    private AgentIdentity.@Nullable Renewal renewal;

    public AgentClient(
            AgentConfig config,
            HostRegistration registration,
            String agentVersion,
            VmReconciler reconciler,
            HypervisorDriver driver,
            HostUsageSource usage,
            VmMetricsSampler metrics,
            Clock clock,
            RandomGenerator random) {
        this(config, registration, agentVersion, reconciler, driver, usage, metrics, clock, random, null);
    }

    /**
     * A client that asks the server to acknowledge each heartbeat once recorded, and tells {@code roundTrips} how long
     * each took (null: asks for nothing).
     */
    public AgentClient(
            AgentConfig config,
            HostRegistration registration,
            String agentVersion,
            VmReconciler reconciler,
            HypervisorDriver driver,
            HostUsageSource usage,
            VmMetricsSampler metrics,
            Clock clock,
            RandomGenerator random,
            @Nullable HeartbeatRoundTrips roundTrips) {
        this(config, registration, agentVersion, reconciler, driver, usage, metrics, clock, random, roundTrips, null);
    }

    /**
     * {@link #AgentClient(AgentConfig, HostRegistration, String, VmReconciler, HypervisorDriver, HostUsageSource,
     * VmMetricsSampler, Clock, RandomGenerator, HeartbeatRoundTrips)} that also tells the server where the agent's
     * {@code /metrics} is and hands the scrape credential the server sends to {@code metricsListener} (null: the agent
     * serves no metrics).
     */
    public AgentClient(
            AgentConfig config,
            HostRegistration registration,
            String agentVersion,
            VmReconciler reconciler,
            HypervisorDriver driver,
            HostUsageSource usage,
            VmMetricsSampler metrics,
            Clock clock,
            RandomGenerator random,
            @Nullable HeartbeatRoundTrips roundTrips,
            @Nullable MetricsListener metricsListener) {
        this.roundTrips = roundTrips;
        this.metricsListener = metricsListener;
        this.config = requireNonNull(config, "config is null");
        this.registration = requireNonNull(registration, "registration is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.consoleReads = new ConsoleReads(driver);
        this.migrationSteps = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("vireo-migration-", 0).factory());
        this.migrations = new AgentMigrations(
                driver,
                migrationSteps,
                new AgentMigrations.Moves() {
                    @Override
                    public void departed(UUID vmId, long epoch) {
                        reconciler.departed(vmId, epoch);
                    }

                    @Override
                    public void stayed(UUID vmId, long epoch) {
                        reconciler.stayed(vmId, epoch);
                    }

                    @Override
                    public void arrived(UUID vmId, Instant startedAt) {
                        reconciler.arrived(vmId, startedAt);
                    }
                },
                update -> {
                    AgentSession session = current;
                    if (session != null) {
                        session.sendMigrationUpdate(update);
                    }
                });
        this.usage = requireNonNull(usage, "usage is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.backoff = new ExponentialBackoff(config.reconnectBackoffMin(), config.reconnectBackoffMax(), random);
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("vireo-agent-client").factory());
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

    /** The host id of the agent's certificate, once it has one. */
    public Optional<UUID> certificateHostId() {
        AgentIdentity current = identity;
        return current == null ? Optional.empty() : Optional.of(current.hostId());
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
        ManagedChannel open = channel;
        if (open != null) {
            open.shutdownNow();
            try {
                open.awaitTermination(config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The channel to the server, made once the agent has its identity: loaded from the state directory, or enrolled
     * with the join token. Null if it has none yet (a reconnection is scheduled) or was refused (the client has
     * stopped).
     */
    private @Nullable ManagedChannel channel() {
        ManagedChannel open = channel;
        if (open != null) {
            return open;
        }
        AgentIdentity loaded;
        try {
            loaded = AgentIdentity.load(config.identityDir()).orElse(null);
            if (loaded == null) {
                loaded = enroll();
            }
        } catch (AgentIdentity.EnrollmentRefusedException e) {
            log.error("The server refused to enroll this agent: {} {}", e.code(), e.getMessage());
            refusal.complete(new AgentRefusal(e.code(), String.valueOf(e.getMessage())));
            return null;
        } catch (StatusRuntimeException e) {
            log.warn("Cannot enroll with {}: {}", config.serverAddress(), e.getStatus());
            scheduleReconnect();
            return null;
        } catch (RuntimeException e) {
            log.error("Cannot use the agent's identity in {}: {}", config.identityDir(), e.toString());
            refusal.complete(new AgentRefusal("IDENTITY", e.toString()));
            return null;
        }
        if (loaded == null) {
            return null;
        }
        if (loaded.expiredAt(clock.instant())) {
            log.error(
                    "This agent's certificate expired at {}: make a join token for host {} (vireo host join-token"
                            + " create --host {}) and start the agent with it after removing {}",
                    loaded.certificate().getNotAfter().toInstant(),
                    loaded.hostId(),
                    config.name(),
                    config.identityDir());
        }
        identity = loaded;
        open = Grpc.newChannelBuilderForAddress(config.serverHost(), config.serverPort(), loaded.channelCredentials())
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .maxInboundMessageSize(config.maxMessageBytes())
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .build();
        channel = open;
        if (closed) {
            open.shutdownNow();
            return null;
        }
        return open;
    }

    private @Nullable AgentIdentity enroll() {
        String token = config.joinToken();
        if (token == null) {
            log.error(
                    "This agent has no certificate in {}: start it with --join-token (vireo host join-token create)",
                    config.identityDir());
            refusal.complete(new AgentRefusal("NOT_ENROLLED", "no certificate and no join token"));
            return null;
        }
        AgentIdentity enrolled = AgentIdentity.enroll(
                config.serverHost(),
                config.serverPort(),
                config.name(),
                token,
                config.identityDir(),
                config.enrollmentTimeout(),
                secureRandom);
        log.info("Enrolled with {} as host {}", config.serverAddress(), enrolled.hostId());
        return enrolled;
    }

    private void connect() {
        if (closed) {
            return;
        }
        ManagedChannel open = channel();
        AgentIdentity id = identity;
        if (open == null || id == null) {
            return;
        }
        AgentSession session =
                new AgentSession(++sessions, reconciler, consoleReads, migrations, new SessionListener(), clock);
        current = session;
        try {
            open.resetConnectBackoff();
            AgentServiceGrpc.newStub(open).connect(session);
        } catch (RuntimeException e) {
            // Only a channel shut down under us gets here; the stream's own failures arrive as onError.
            log.warn("Cannot open a stream to {}: {}", config.serverAddress(), e.toString());
            current = null;
            scheduleReconnect();
            return;
        }
        renewal = null;
        Register.Builder register = ProtoMapping.toRegister(registration, agentVersion).toBuilder()
                .setHostId(id.hostId().toString())
                .setHeartbeatAcks(roundTrips != null);
        MetricsListener listener = metricsListener;
        if (listener != null) {
            register.setMetricsPort(listener.port());
        }
        session.sendRegister(register.build());
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
        MetricsListener listener = metricsListener;
        if (listener != null) {
            listener.credential().accept(registered.getMetricsTokenSha256().toByteArray());
        }
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
        renewIfDue(session);
    }

    /** Asks for a new certificate once less than a third of the current one is left; one request per session. */
    private void renewIfDue(AgentSession session) {
        AgentIdentity id = identity;
        if (id == null || renewal != null || !id.renewalDue(clock.instant())) {
            return;
        }
        AgentIdentity.Renewal request = id.newRequest(secureRandom);
        renewal = request;
        log.info(
                "Asking for a new certificate (the current one ends {})",
                id.certificate().getNotAfter().toInstant());
        session.sendCertificateRenewal(request.request());
    }

    private void onCertificateIssued(AgentSession session, CertificateIssued issued) {
        AgentIdentity id = identity;
        AgentIdentity.Renewal request = renewal;
        if (session != current || id == null || request == null) {
            return;
        }
        try {
            X509Certificate certificate =
                    Certificates.parse(issued.getCertificate().toByteArray());
            id.renewed(request, certificate);
            renewal = null;
            log.info(
                    "Certificate renewed: {} valid until {}",
                    Certificates.serial(certificate),
                    certificate.getNotAfter().toInstant());
        } catch (RuntimeException e) {
            log.warn("Ignoring a renewed certificate: {}", e.toString());
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

        @Override
        public void certificateIssued(AgentSession session, CertificateIssued issued) {
            runOnScheduler(() -> onCertificateIssued(session, issued));
        }

        @Override
        public void heartbeatAcknowledged(AgentSession session, Duration roundTrip) {
            HeartbeatRoundTrips listener = roundTrips;
            if (listener != null && session == current) {
                listener.acknowledged(config.name(), roundTrip);
            }
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
