package io.vireo.server;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vireo.agent.metrics.ScrapeCredential;
import io.vireo.api.ApiTlsIdentity;
import io.vireo.cli.client.DataDirectory;
import io.vireo.common.IdGenerator;
import io.vireo.common.SecretFiles;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.EventLog;
import io.vireo.controller.HeartbeatBatcher;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostDrains;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.HostEnrollmentSettings;
import io.vireo.controller.HostMonitor;
import io.vireo.controller.ImageService;
import io.vireo.controller.LeaseRenewalBatcher;
import io.vireo.controller.MigrationService;
import io.vireo.controller.NetworkService;
import io.vireo.controller.PlacementController;
import io.vireo.controller.RequestContext;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.VmService;
import io.vireo.controller.alerts.AlertService;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.IdentitySettings;
import io.vireo.controller.port.Repositories;
import io.vireo.images.LocalImageFiles;
import io.vireo.images.QemuImgInspector;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.Pem;
import io.vireo.scheduler.Scheduler;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.server.grpc.AgentEnrollmentService;
import io.vireo.server.grpc.AgentImageService;
import io.vireo.server.grpc.AgentPeers;
import io.vireo.server.grpc.AgentStreamService;
import io.vireo.server.grpc.GuardDirectory;
import io.vireo.server.grpc.HostLeaseService;
import io.vireo.server.grpc.MigrationRelay;
import io.vireo.server.metrics.MeteredEvents;
import io.vireo.server.metrics.MeteredScheduler;
import io.vireo.server.metrics.ServerMetrics;
import io.vireo.server.tls.AgentTls;
import io.vireo.server.tls.ApiCertificates;
import io.vireo.server.tls.ApiTls;
import io.vireo.server.tls.HostCertificateIssuer;
import io.vireo.server.tls.ServerAuthority;
import io.vireo.store.Database;
import io.vireo.store.DatabaseSettings;
import io.vireo.store.EmbeddedPostgres;
import io.vireo.store.EmbeddedPostgresSettings;
import io.vireo.store.HostSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one server process: the database (embedded or external), the store, the controllers and
 * their loops, the gRPC endpoint for agents and the REST API. Everything is wired here by hand, in the order it
 * starts; {@link #close()} stops it in reverse.
 *
 * <p>Files in the data directory: {@code admin-token} (the built-in admin's API token), {@code admin-password} (the
 * built-in admin's first password, for {@code vireo login}), {@code agent-token} (the credential with which agents
 * configured with {@code --image-url} download uploaded images over HTTP; others use their mutual-TLS connection),
 * {@code metrics-token} (what scrapes of the agents' {@code /metrics} present, ADR 21), {@code ca-key-encryption-key}
 * (opens the agents' CA key stored in the database: the same file on every replica, ADR 15), {@code api-url} (where
 * the API listens, for the CLI), {@code api-ca.pem} (the certificate the API's certificate chains to, which the CLI of
 * this machine trusts; ADR 20), {@code replica-id} (this replica's identity, as
 * the owner of the image uploads it receives), {@code image-files/} (uploaded image bytes, by image id) and
 * {@code postgres/} (the embedded database).
 */
public final class VireoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VireoServer.class);

    /** Default flavors seeded at first start: name, vCPUs, memory MiB, disk GiB. */
    private static final Object[][] DEFAULT_FLAVORS = {
        {"tiny", 1, 128L, 1L}, {"small", 1, 512L, 5L}, {"medium", 2, 2048L, 20L}, {"large", 4, 8192L, 80L}
    };

    public static final String TEST_GUEST_IMAGE = "test-guest";

    /** How often tokens long expired are deleted. */
    private static final Duration TOKEN_PURGE_INTERVAL = Duration.ofHours(1);

    /** How long an expired token stays listed (as expired) before it is purged. */
    private static final Duration EXPIRED_TOKEN_GRACE = Duration.ofDays(1);

    /**
     * The most peers a fence guard's grant lists. A guard holds only when more than the hold share of all other guarded
     * hosts answer that they lost the control plane, so a cloud of more than about {@code MAX_GUARD_PEERS / 0.3} guarded
     * hosts loses the hold when every server is down (its guards fence: never twice, but VMs stop; ADR 22).
     */
    private static final int MAX_GUARD_PEERS = 256;

    /** The most fence guards one server lists (one per host). */
    private static final int GUARD_DIRECTORY_LIMIT = 100_000;

    /** How long a guard that stopped renewing stays among its peers' peers. */
    private static final Duration GUARD_DIRECTORY_RETENTION = Duration.ofMinutes(10);

    private final ServerConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private int apiPort;
    private int agentPort;
    private String adminToken = "";
    private String agentToken = "";
    private @Nullable Repositories store;
    private @Nullable HostEnrollment enrollment;
    private @Nullable ApiTlsIdentity apiTls;

    private VireoServer(ServerConfig config) {
        this.config = config;
    }

    /** Starts everything; on failure stops what had started and rethrows. */
    public static VireoServer start(ServerConfig config) {
        VireoServer server = new VireoServer(requireNonNull(config, "config is null"));
        try {
            server.startAll();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startAll() {
        Path dataDir = config.dataDir();
        createPrivateDirectory(dataDir);
        ServerMetrics metrics = new ServerMetrics();
        resources.push(metrics);
        Database database = Database.start(databaseSettings(dataDir));
        resources.push(database);
        metrics.watchPool(database.dataSource());
        Repositories repositories = MeteredEvents.wrap(database.repositories(), metrics.registry());
        store = repositories;
        adminToken = secret(dataDir.resolve("admin-token"));
        agentToken = secret(dataDir.resolve("agent-token"));
        String metricsToken = secret(metricsTokenFile(dataDir));

        Clock clock = Clock.systemUTC();
        metrics.watchCluster(repositories, clock);
        IdGenerator ids = IdGenerator.secure();
        ControllerSettings settings = config.controller();
        log.info("hosts register with {} unless an operator set their own", settings.capacityDefaults());
        EventLog events = new EventLog(repositories.events(), clock);
        AuditLog audit = new AuditLog(repositories.audit(), clock);
        GatewayRelay gateway = new GatewayRelay();
        Scheduler scheduler = new MeteredScheduler(scheduler(config.schedulerProfile()), metrics.registry());
        PlacementController placement =
                new PlacementController(repositories, scheduler, gateway, events, audit, clock, settings, ids);
        AgentSessions sessions = new AgentSessions(repositories, gateway, placement, events, audit, clock, settings);
        SecureRandom random = new SecureRandom();
        CertificateAuthority authority = ServerAuthority.loadOrCreate(
                database.agentCredentials(), dataDir.resolve(ServerAuthority.KEY_ENCRYPTION_KEY_FILE), clock, random);
        HostEnrollment hostEnrollment = new HostEnrollment(
                database.agentCredentials(),
                repositories.hosts(),
                events,
                audit,
                ids,
                clock,
                random,
                HostEnrollmentSettings.DEFAULTS,
                authority.fingerprint().hex());
        enrollment = hostEnrollment;
        HostCertificateIssuer issuer = new HostCertificateIssuer(authority, hostEnrollment, clock);
        // acknowledgements of recorded heartbeats (to agents that ask) are sent off the writer's thread
        ExecutorService heartbeatAcks = Executors.newVirtualThreadPerTaskExecutor();
        resources.push(heartbeatAcks::shutdownNow);
        HeartbeatBatcher heartbeats = new HeartbeatBatcher(sessions, heartbeatAcks);
        metrics.watchHeartbeats(heartbeats);
        startHeartbeatWriter(heartbeats);
        AgentStreamService agents = new AgentStreamService(
                sessions,
                heartbeats,
                settings.heartbeatInterval(),
                hostEnrollment,
                issuer,
                ScrapeCredential.sha256(metricsToken));
        metrics.listTargets(agents::metricsTargets);
        gateway.delegateTo(agents);
        signalOtherReplicas(database.hostSignals(), gateway, agents);
        MigrationService migrations =
                migrations(database, repositories, scheduler, agents, gateway, events, audit, ids);
        VmService vms = new VmService(repositories, gateway, placement, events, ids, clock, settings);
        AlertService alerts = AlertWiring.service(
                database,
                repositories,
                events,
                clock,
                config.alertmanagerUrls(),
                () -> apiUrl() + "/api/v1/alerts",
                metrics.registry());
        CatalogService catalog = new CatalogService(repositories, ids, clock, settings.capacityDefaults());
        linkTestGuest(dataDir, seed(catalog));

        ImageService images = images(dataDir, repositories, ids, clock);
        AtomicInteger guardedHosts = new AtomicInteger();
        HostLeaseService leases = leases(sessions, settings, clock, guardedHosts);
        startGrpc(
                agents,
                leases,
                new AgentEnrollmentService(hostEnrollment, issuer),
                new AgentImageService(images),
                new AgentPeers(hostEnrollment),
                AgentTls.serverCredentials(authority, List.of("localhost", "127.0.0.1"), clock, random));
        startLoops(placement, sessions, agents, settings);
        startHostMonitor(
                new HostMonitor(repositories, events, audit, clock, settings), placement, settings, guardedHosts);
        ServerGroupService groups = new ServerGroupService(repositories, ids, clock);
        HostDrains drains = new HostDrains(
                repositories, database.migrations(), migrations, catalog, events, clock, HostDrains.Limits.DEFAULT);
        startMigrationSweep(migrations, drains);
        IdentityService identity = identity(database, dataDir, ids, clock);
        NetworkService networks =
                new NetworkService(database.networks(), repositories.vms(), ids, clock, config.addressHoldBack());
        apiTls = apiTlsIdentity(authority, clock, random);
        apiPort = ApiWiring.start(
                vms,
                catalog,
                groups,
                migrations,
                new HostDeletions(repositories, agents, events, clock),
                drains,
                images,
                identity,
                networks,
                alerts,
                repositories,
                audit,
                adminToken,
                agentToken,
                hostEnrollment,
                config,
                apiTls,
                metrics,
                resources);
        AlertWiring.startLoop(alerts, metrics.registry(), resources);
        writeApiTrust(dataDir);
        writePrivate(dataDir.resolve(DataDirectory.API_URL_FILE), apiUrl() + "\n");
        log.info("Vireo server up: API {}, agents on port {}, data in {}", apiUrl(), agentPort, dataDir);
    }

    /** The API's key and certificate (ADR 20), or null for plain HTTP; a bad operator file fails the start. */
    private @Nullable ApiTlsIdentity apiTlsIdentity(CertificateAuthority authority, Clock clock, SecureRandom random) {
        return switch (config.apiTls()) {
            case ApiTls.CaIssued issued ->
                ApiCertificates.issue(authority, config.bindHost(), issued.extraNames(), clock, random);
            case ApiTls.OperatorSupplied supplied -> ApiCertificates.load(supplied, clock);
            case ApiTls.PlainHttp plain -> null;
        };
    }

    /**
     * Writes the certificate this machine's CLI trusts for the API to {@code DATA_DIR/api-ca.pem} (0600, like the rest
     * of the directory's files), or removes a stale one when there is none to name (plain HTTP, or an operator's
     * certificate from a public CA).
     */
    private void writeApiTrust(Path dataDir) {
        Path file = dataDir.resolve(DataDirectory.API_CA_FILE);
        ApiTlsIdentity tls = apiTls;
        Optional<X509Certificate> anchor = tls == null ? Optional.empty() : ApiCertificates.trustAnchor(tls);
        try {
            if (anchor.isPresent()) {
                SecretFiles.writePrivate(file, Pem.certificate(anchor.get()));
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Replicas on one database: a desired-state change for a host whose agent is connected to another replica is
     * signalled (off the caller's thread: sends never block on the network), and a signal for a host whose agent is
     * connected here sends it the full desired set at once (or ends its stream if its certificate was revoked
     * meanwhile).
     */
    private void signalOtherReplicas(HostSignals signals, GatewayRelay gateway, AgentStreamService agents) {
        ExecutorService sender = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("vireo-host-signal-sender").daemon().factory());
        resources.push(sender::shutdownNow);
        Consumer<UUID> signal =
                hostId -> sender.execute(() -> guarded("signal for host " + hostId, () -> signals.signal(hostId)));
        gateway.signalOthersWith(signal);
        agents.tellOtherReplicasWith(signal);
        signals.listen(agents::resync);
    }

    /**
     * Image uploads: warns if {@code qemu-img} is missing (uploads are then refused), reclaims this replica's uploads
     * from before a crash and removes unreferenced files before the API takes new ones, then renews the uploads in
     * progress and reclaims other replicas' stale ones on a timer.
     */
    private ImageService images(Path dataDir, Repositories repositories, IdGenerator ids, Clock clock) {
        LocalImageFiles imageFiles = new LocalImageFiles(imageFileDirectory(dataDir));
        UUID replicaId =
                UUID.nameUUIDFromBytes(secret(dataDir.resolve("replica-id")).getBytes(StandardCharsets.UTF_8));
        QemuImgInspector inspector = QemuImgInspector.forFiles(imageFiles);
        inspector.warnIfUnavailable(); // uploads are refused (503) until qemu-img is installed
        ImageService images = new ImageService(
                repositories,
                imageFiles,
                inspector,
                ids,
                clock,
                config.maxImageBytes(),
                replicaId,
                ImageService.UploadLeases.DEFAULT);
        images.recover();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-image-uploads").daemon().factory());
        resources.push(timer::shutdownNow);
        long millis = images.leases().renewInterval().toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    guarded("image upload renewal", images::renewUploads);
                    guarded("image upload reclaim", images::reclaimStaleUploads);
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
        return images;
    }

    /**
     * Projects, users and tokens: the built-in admin logs in with the password in {@code admin-password} (made at the
     * first start; changing the file later changes nothing), and tokens that expired a day ago are purged hourly.
     */
    private IdentityService identity(Database database, Path dataDir, IdGenerator ids, Clock clock) {
        IdentityService identity = new IdentityService(
                database.identity(),
                IdentitySettings.DEFAULTS.withDefaultQuota(config.defaultQuota()),
                ids,
                clock,
                new SecureRandom());
        identity.ensureAdminPassword(secret(adminPasswordFile(dataDir)));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-token-purge").daemon().factory());
        resources.push(timer::shutdownNow);
        timer.scheduleWithFixedDelay(
                () -> guarded("expired token purge", () -> identity.purgeExpiredTokens(EXPIRED_TOKEN_GRACE)),
                0,
                TOKEN_PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return identity;
    }

    /**
     * The token scrapes of the agents' {@code /metrics} present: {@code DATA_DIR/metrics-token}, mode 0600, made at the
     * first start. Agents get its SHA-256 when they register (ADR 21).
     */
    public static Path metricsTokenFile(Path dataDir) {
        return dataDir.resolve("metrics-token");
    }

    /** Where the built-in admin's first password is: {@code DATA_DIR/admin-password}, mode 0600. */
    public static Path adminPasswordFile(Path dataDir) {
        return dataDir.resolve("admin-password");
    }

    /** Live migration: the service, fed by the agents' reports through a relay on the gRPC service. */
    private MigrationService migrations(
            Database database,
            Repositories repositories,
            Scheduler scheduler,
            AgentStreamService agents,
            GatewayRelay gateway,
            EventLog events,
            AuditLog audit,
            IdGenerator ids) {
        MigrationRelay relay = new MigrationRelay(agents);
        MigrationService migrations = new MigrationService(
                repositories,
                database.migrations(),
                scheduler,
                new MigrationService.AgentGatewayAccess(gateway, relay),
                events,
                audit,
                ids,
                Clock.systemUTC(),
                config.controller(),
                MigrationService.DEFAULT_TIMEOUT);
        relay.deliverTo(migrations);
        agents.listen(relay);
        return migrations;
    }

    /**
     * Fails migrations stuck past their timeout (also those a previous server left) every few seconds, and moves the
     * draining hosts' VMs away every second, on one thread.
     */
    private void startMigrationSweep(MigrationService migrations, HostDrains drains) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-migration-sweep").daemon().factory());
        resources.push(sweeper::shutdownNow);
        long millis = MigrationService.SWEEP_INTERVAL.toMillis();
        sweeper.scheduleWithFixedDelay(
                () -> guarded("migration sweep", migrations::sweep), 0, millis, TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(() -> guarded("host drains", drains::step), 1, 1, TimeUnit.SECONDS);
    }

    /** The scheduling framework with the named profile, over every host; an unknown profile fails the start. */
    private static Scheduler scheduler(String profile) {
        return FrameworkScheduler.create(
                SchedulerSettings.DEFAULT.withProfile(profile), new java.security.SecureRandom().nextLong());
    }

    private DatabaseSettings databaseSettings(Path dataDir) {
        String url = config.dbUrl();
        if (url != null) {
            String user = config.dbUser();
            return DatabaseSettings.of(url, user == null ? "vireo" : user, config.dbPassword());
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgresSettings.of(dataDir));
        resources.push(postgres);
        return postgres.databaseSettings();
    }

    private static Image seed(CatalogService catalog) {
        for (Object[] flavor : DEFAULT_FLAVORS) {
            catalog.ensureFlavor((String) flavor[0], (Integer) flavor[1], (Long) flavor[2], (Long) flavor[3]);
        }
        return catalog.ensureImage(
                new RequestContext(Project.ADMIN_ID, null), TEST_GUEST_IMAGE, ImageFormat.KERNEL_INITRD);
    }

    /** Where the local agents find base images: {@code DATA_DIR/images/<image id>}. */
    public static Path imageDirectory(Path dataDir) {
        return dataDir.resolve("images");
    }

    /** Where the server keeps uploaded image bytes: {@code DATA_DIR/image-files/<image id>}. */
    public static Path imageFileDirectory(Path dataDir) {
        return dataDir.resolve("image-files");
    }

    /** Where {@code vireo image build-test-guest} puts the test guest's kernel and initramfs. */
    public static Path testGuestDirectory(Path dataDir) {
        return imageDirectory(dataDir).resolve(TEST_GUEST_IMAGE);
    }

    /** Makes a built test guest the content of the {@code test-guest} image record, for agents on this machine. */
    private static void linkTestGuest(Path dataDir, Image image) {
        Path built = testGuestDirectory(dataDir);
        Path link = imageDirectory(dataDir).resolve(image.id().toString());
        if (!Files.isRegularFile(built.resolve("vmlinuz")) || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createSymbolicLink(link, built.getFileName());
            log.info("image {} ({}) is the test guest built in {}", image.name(), image.id(), built);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + link + " to " + built, e);
        }
    }

    /**
     * The agents' endpoint, over TLS: the stream service and image downloads for agents with a host certificate, and
     * enrollment for those that have none yet.
     */
    private void startGrpc(
            AgentStreamService agents,
            HostLeaseService leases,
            AgentEnrollmentService enrollments,
            AgentImageService images,
            AgentPeers peers,
            ServerCredentials credentials) {
        try {
            Server server = NettyServerBuilder.forAddress(
                            new InetSocketAddress(config.bindHost(), config.agentPort()), credentials)
                    .addService(ServerInterceptors.intercept(agents, peers.requireCertificate()))
                    .addService(ServerInterceptors.intercept(images, peers.requireCertificate()))
                    .addService(ServerInterceptors.intercept(leases, peers.requireCertificate()))
                    .addService(ServerInterceptors.intercept(enrollments, AgentPeers.addressOnly()))
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .maxInboundMessageSize(64 * 1024 * 1024)
                    .build()
                    .start();
            agentPort = server.getPort();
            resources.push(() -> {
                agents.closeAll();
                server.shutdown();
                if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                    server.shutdownNow();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen for agents on " + config.bindHost() + ":" + config.agentPort(), e);
        }
    }

    private void startLoops(
            PlacementController placement,
            AgentSessions sessions,
            AgentStreamService agents,
            ControllerSettings settings) {
        Thread placementThread =
                Thread.ofPlatform().name("vireo-placement").daemon().start(placement);
        resources.push(() -> {
            placementThread.interrupt();
            placementThread.join(TimeUnit.SECONDS.toMillis(5));
        });
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-timers").daemon().factory());
        resources.push(timers::shutdownNow);
        long heartbeatMillis = settings.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(
                () -> guarded("host monitor", sessions::markSilentHostsDown),
                heartbeatMillis,
                heartbeatMillis,
                TimeUnit.MILLISECONDS);
        long resyncMillis = settings.resyncInterval().toMillis();
        timers.scheduleWithFixedDelay(
                () -> guarded("agent resync", agents::resyncAll), resyncMillis, resyncMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The fence guards' lease stream (ADR 22): renewals are written in batches by a thread of their own (so that no
     * heartbeat's samples delay a lease), and granted off that thread once committed.
     */
    private HostLeaseService leases(
            AgentSessions sessions, ControllerSettings settings, Clock clock, AtomicInteger guardedHosts) {
        ExecutorService grants = Executors.newVirtualThreadPerTaskExecutor();
        resources.push(grants::shutdownNow);
        LeaseRenewalBatcher renewals = new LeaseRenewalBatcher(sessions, grants);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-lease-writer").daemon().factory());
        resources.push(writer::shutdownNow);
        long millis = LeaseRenewalBatcher.FLUSH_INTERVAL.toMillis();
        writer.scheduleWithFixedDelay(
                () -> guarded("lease renewal write", renewals::flush), millis, millis, TimeUnit.MILLISECONDS);
        GuardDirectory guards =
                new GuardDirectory(clock, MAX_GUARD_PEERS, GUARD_DIRECTORY_LIMIT, GUARD_DIRECTORY_RETENTION);
        return new HostLeaseService(renewals, guards, settings.ha(), guardedHosts::get);
    }

    /**
     * Host leases, fencing and HA restarts (ADR 19), on a thread of their own at a sixth of the suspect threshold, so
     * that a slow resync never delays a fence or a restart. The monitor is not thread-safe: this thread alone calls
     * it. The count of guarded hosts it takes goes into the fence guards' grants (ADR 22).
     */
    private void startHostMonitor(
            HostMonitor monitor,
            PlacementController placement,
            ControllerSettings settings,
            AtomicInteger guardedHosts) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-host-leases").daemon().factory());
        resources.push(timer::shutdownNow);
        long millis = Math.max(100, settings.ha().suspectAfter().toMillis() / 6);
        timer.scheduleWithFixedDelay(
                () -> guarded("host lease check", () -> {
                    HostMonitor.Outcome outcome = monitor.check();
                    guardedHosts.set(outcome.guarded());
                    if (outcome.restarted() > 0) {
                        placement.wake();
                    }
                }),
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** Writes the agents' heartbeats in batches, on a thread of its own so that no other timer waits on the store. */
    private void startHeartbeatWriter(HeartbeatBatcher heartbeats) {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-heartbeats").daemon().factory());
        resources.push(writer::shutdownNow);
        long millis = HeartbeatBatcher.FLUSH_INTERVAL.toMillis();
        writer.scheduleWithFixedDelay(
                () -> guarded("heartbeat write", heartbeats::flush), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed; will run again", what, e);
        }
    }

    /** The data directory holds credentials: mode 0700, and it must be the running user's own. */
    private static void createPrivateDirectory(Path dir) {
        try {
            SecretFiles.privateDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String secret(Path file) {
        try {
            return SecretFiles.readOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String content) {
        try {
            SecretFiles.writePrivate(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Where this machine reaches the API: {@code https://} unless it is served over plain HTTP. */
    public String apiUrl() {
        String bind = config.bindHost();
        String host = switch (bind) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        };
        return (apiTls == null ? "http://" : "https://") + host + ":" + apiPort;
    }

    /** The file holding the certificate the API's clients on this machine trust, if the server wrote one. */
    public Optional<Path> apiTrustFile() {
        Path file = config.dataDir().resolve(DataDirectory.API_CA_FILE);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    public int agentPort() {
        return agentPort;
    }

    public String adminToken() {
        return adminToken;
    }

    public Path agentTokenFile() {
        return config.dataDir().resolve("agent-token");
    }

    /** Join tokens and certificates of hosts: {@code vireo up} enrolls its local agents with it. */
    public HostEnrollment hostEnrollment() {
        return requireNonNull(enrollment, "server not started");
    }

    public Repositories store() {
        return requireNonNull(store, "server not started");
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("stopping {} failed", resource, e);
            }
        }
    }
}
