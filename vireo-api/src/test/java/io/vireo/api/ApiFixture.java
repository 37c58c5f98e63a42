package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.api.auth.AccessPolicy;
import io.vireo.api.auth.AdminTokenAuthenticator;
import io.vireo.api.auth.AgentCredential;
import io.vireo.api.auth.StoredTokenAuthenticator;
import io.vireo.api.auth.TokenAuthenticator;
import io.vireo.api.http.RateLimiter;
import io.vireo.common.IdGenerator;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.EventLog;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostDrains;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.HostEnrollmentSettings;
import io.vireo.controller.ImageService;
import io.vireo.controller.MigrationService;
import io.vireo.controller.NetworkService;
import io.vireo.controller.PlacementController;
import io.vireo.controller.RequestContext;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.VmService;
import io.vireo.controller.alerts.AlertNotifier;
import io.vireo.controller.alerts.AlertService;
import io.vireo.controller.alerts.AlertSettings;
import io.vireo.controller.alerts.BuiltInAlertRules;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.IdentitySettings;
import io.vireo.controller.identity.PasswordHasher;
import io.vireo.controller.port.AuditRepository;
import io.vireo.controller.port.ImageInspector;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmFilter;
import io.vireo.images.LocalImageFiles;
import io.vireo.images.QemuImgInspector;
import io.vireo.model.DesiredVm;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryAgentCredentials;
import io.vireo.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A real {@link ApiServer} on an ephemeral port over the in-memory store and the real controller services, with a
 * recording agent gateway, a fixed clock and an HTTP client that speaks to it.
 */
final class ApiFixture implements AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789abcdef";
    static final String AGENT_TOKEN = "test-agent-token-0123456789abcdef";
    static final long DEFAULT_MAX_IMAGE_BYTES = 64L * 1024 * 1024;
    static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test");
    static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String CA_FINGERPRINT = "c0".repeat(32);

    final InMemoryStore memory = new InMemoryStore();
    final Repositories store = memory.repositories();
    final RecordingAgentGateway agents = new RecordingAgentGateway();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final EventLog events = new EventLog(store.events(), clock);
    /** The audit log the API and the controller write; {@link #auditRecords} is what it keeps. */
    final AuditLog audit;

    final AuditRepository auditRecords;
    final PlacementController placement;
    final VmService vms;
    final CatalogService catalog;
    final Path imageDirectory;
    final LocalImageFiles imageFiles;
    final ImageService images;
    final AgentSessions sessions;
    final MigrationService migrations;
    final HostDrains drains;
    /** The migrations as the services see them, counting reads. */
    final CountingMigrationRepository migrationStore = new CountingMigrationRepository(memory.migrations());
    /** Alerts over the store with the built-in rules, sent nowhere; tests evaluate them when they like. */
    final AlertService alerts = new AlertService(
            memory.alerts(),
            store,
            memory.migrations(),
            events,
            AlertNotifier.NONE,
            clock,
            AlertSettings.DEFAULTS,
            BuiltInAlertRules.of(AlertSettings.DEFAULTS));

    /** Join tokens (and certificates) of hosts, in memory; the CA's fingerprint is {@link #CA_FINGERPRINT}. */
    final InMemoryAgentCredentials agentCredentials = new InMemoryAgentCredentials();

    final HostEnrollment enrollment;
    /** The hosts whose agents lost their right to speak for them (deleted), in order. */
    final List<UUID> revokedHosts = new java.util.concurrent.CopyOnWriteArrayList<>();

    final List<String> migrationMessages = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The identity service's clock, which tests move on to expire tokens. */
    final MutableClock identityClock = new MutableClock(NOW);

    final IdentityService identity;
    /** Networks, subnets and ports on the in-memory store, addresses held back a minute after release. */
    final NetworkService networks;

    final ApiServer server;
    final int port;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    ApiFixture() {
        this(ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES, UnaryOperator.identity());
    }

    /** @param apiStore what the API sees of the store, e.g. the store with a failing repository */
    ApiFixture(int maxRequestBodyBytes, UnaryOperator<Repositories> apiStore) {
        this(maxRequestBodyBytes, apiStore, DEFAULT_MAX_IMAGE_BYTES);
    }

    /** @param maxImageBytes the largest image upload accepted */
    ApiFixture(int maxRequestBodyBytes, UnaryOperator<Repositories> apiStore, long maxImageBytes) {
        this(
                maxRequestBodyBytes,
                apiStore,
                maxImageBytes,
                QemuImgInspector::forFiles,
                RateLimiter.Limit.DEFAULT,
                AccessPolicy.standard());
    }

    /** A server whose tokens may send {@code rateLimit} requests. */
    ApiFixture(RateLimiter.Limit rateLimit) {
        this(
                ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
                UnaryOperator.identity(),
                DEFAULT_MAX_IMAGE_BYTES,
                QemuImgInspector::forFiles,
                rateLimit,
                AccessPolicy.standard());
    }

    /** A server whose routes are open to whom {@code policy} says. */
    ApiFixture(AccessPolicy policy) {
        this(
                ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
                UnaryOperator.identity(),
                DEFAULT_MAX_IMAGE_BYTES,
                QemuImgInspector::forFiles,
                RateLimiter.Limit.DEFAULT,
                policy);
    }

    /** @param inspector how uploads of the fixture's image files are inspected (the real qemu-img by default) */
    ApiFixture(Function<LocalImageFiles, ImageInspector> inspector) {
        this(
                ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
                UnaryOperator.identity(),
                DEFAULT_MAX_IMAGE_BYTES,
                inspector,
                RateLimiter.Limit.DEFAULT,
                AccessPolicy.standard());
    }

    /** A server whose audit log is kept in {@code auditRecords} (given the store's), e.g. one that fails. */
    static ApiFixture withAuditRecords(UnaryOperator<AuditRepository> auditRecords) {
        return new ApiFixture(
                ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
                UnaryOperator.identity(),
                DEFAULT_MAX_IMAGE_BYTES,
                QemuImgInspector::forFiles,
                RateLimiter.Limit.DEFAULT,
                AccessPolicy.standard(),
                auditRecords,
                null);
    }

    private ApiFixture(
            int maxRequestBodyBytes,
            UnaryOperator<Repositories> apiStore,
            long maxImageBytes,
            Function<LocalImageFiles, ImageInspector> inspector,
            RateLimiter.Limit rateLimit,
            AccessPolicy policy) {
        this(
                maxRequestBodyBytes,
                apiStore,
                maxImageBytes,
                inspector,
                rateLimit,
                policy,
                UnaryOperator.identity(),
                null);
    }

    /** A server that speaks HTTPS with {@code tls}; {@link #get} and the like do not reach it (they speak HTTP). */
    static ApiFixture withTls(ApiTlsIdentity tls) {
        return new ApiFixture(
                ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
                UnaryOperator.identity(),
                DEFAULT_MAX_IMAGE_BYTES,
                QemuImgInspector::forFiles,
                RateLimiter.Limit.DEFAULT,
                AccessPolicy.standard(),
                UnaryOperator.identity(),
                tls);
    }

    private ApiFixture(
            int maxRequestBodyBytes,
            UnaryOperator<Repositories> apiStore,
            long maxImageBytes,
            Function<LocalImageFiles, ImageInspector> inspector,
            RateLimiter.Limit rateLimit,
            AccessPolicy policy,
            UnaryOperator<AuditRepository> auditStore,
            @Nullable ApiTlsIdentity tls) {
        auditRecords = auditStore.apply(store.audit());
        audit = new AuditLog(auditRecords, clock);
        ControllerSettings settings = ControllerSettings.defaults();
        IdGenerator ids = IdGenerator.secure();
        placement = new PlacementController(
                store,
                new FirstFitScheduler(),
                agents,
                events,
                audit,
                clock,
                settings,
                IdGenerator.seeded(new SplittableRandom(1)));
        vms = new VmService(store, agents, placement, events, ids, clock, settings);
        catalog = new CatalogService(store, ids, clock, settings.capacityDefaults());
        try {
            imageDirectory = Files.createTempDirectory("vireo-api-images-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        imageFiles = new LocalImageFiles(imageDirectory);
        images = new ImageService(store, imageFiles, inspector.apply(imageFiles), ids, clock, maxImageBytes);
        sessions = new AgentSessions(store, agents, placement, events, audit, clock, settings);
        migrations = new MigrationService(
                store,
                migrationStore,
                new FirstFitScheduler(),
                new MigrationService.AgentGatewayAccess(agents, new MigrationGateway() {
                    @Override
                    public void sendPrepare(
                            UUID hostId, UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId) {
                        migrationMessages.add("prepare " + vm.name());
                    }

                    @Override
                    public void sendStart(
                            UUID hostId,
                            UUID migrationId,
                            UUID vmId,
                            long sourceEpoch,
                            Target target,
                            UUID destinationHostId,
                            String correlationId) {
                        migrationMessages.add("start " + vmId);
                    }

                    @Override
                    public void sendAbort(
                            UUID hostId, UUID migrationId, UUID vmId, String reason, String correlationId) {
                        migrationMessages.add("abort " + vmId);
                    }
                }),
                events,
                audit,
                ids,
                clock,
                settings,
                MigrationService.DEFAULT_TIMEOUT);
        drains = new HostDrains(store, migrationStore, migrations, catalog, events, clock, HostDrains.Limits.DEFAULT);
        identity = new IdentityService(
                memory.identity(),
                IdentitySettings.DEFAULTS.withPasswordIterations(PasswordHasher.MIN_ITERATIONS),
                ids,
                identityClock,
                new SplittableRandom(2));
        networks = new NetworkService(
                memory.networks(), store.vms(), ids, clock, NetworkService.DEFAULT_ADDRESS_HOLD_BACK);
        enrollment = new HostEnrollment(
                agentCredentials,
                store.hosts(),
                events,
                audit,
                ids,
                clock,
                new SecureRandom(),
                HostEnrollmentSettings.DEFAULTS,
                CA_FINGERPRINT);
        server = new ApiServer(
                new ApiSettings("127.0.0.1", 0, maxRequestBodyBytes, rateLimit, tls),
                TokenAuthenticator.firstOf(new AdminTokenAuthenticator(TOKEN), new StoredTokenAuthenticator(identity)),
                AgentCredential.of(AGENT_TOKEN),
                new ApiServices(
                        vms,
                        catalog,
                        new ServerGroupService(store, ids, clock),
                        images,
                        migrations,
                        new HostDeletions(
                                store,
                                hostId -> {
                                    revokedHosts.add(hostId);
                                    return enrollment.revokeHost(hostId);
                                },
                                events,
                                clock),
                        drains,
                        enrollment,
                        identity,
                        networks,
                        apiStore.apply(store),
                        audit,
                        alerts),
                ids,
                policy);
        port = server.start();
    }

    /** A flavor {@code small} and an image {@code cirros}, as most tests need. */
    ApiFixture withCatalog() {
        catalog.createFlavor("small", 1, 512, 1);
        catalog.createImage(ADMIN, "cirros", ImageFormat.QCOW2, 0);
        return this;
    }

    Host registerHost(String name) {
        return registerHost(name, HostReservation.NONE);
    }

    /** A host of 16 vCPUs, 65,536 MiB and 1,000 GiB whose agent reports {@code reservation}. */
    Host registerHost(String name, HostReservation reservation) {
        return sessions.register(
                new HostRegistration(name, new Resources(16, 65536, 1000), List.of("kvm"), "fake", reservation));
    }

    /** Places pending VMs and has their agents report them running. */
    void placeAndRun() {
        placement.placePending();
        for (Vm vm : liveVms()) {
            if (vm.hostId() != null && vm.state() == VmState.SCHEDULED) {
                ObservedVm running =
                        new ObservedVm(vm.id(), ObservedPower.RUNNING, vm.generation(), 0, vm.epoch(), NOW, "");
                sessions.report(vm.hostId(), List.of(running), false);
            }
        }
    }

    /** Has the agents report every placed VM in {@code power}, at the VM's current generation. */
    void reportAll(ObservedPower power) {
        for (Vm vm : liveVms()) {
            UUID host = vm.hostId();
            if (host != null) {
                ObservedVm observed = new ObservedVm(
                        vm.id(),
                        power,
                        vm.generation(),
                        vm.rebootCount(),
                        vm.epoch(),
                        power == ObservedPower.STOPPED ? null : NOW,
                        "");
                sessions.report(host, List.of(observed), false);
            }
        }
    }

    List<Vm> liveVms() {
        return vms.list(new VmFilter(null, null, null, VmFilter.MAX_LIMIT, null))
                .items();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A request with the admin token. */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN);
    }

    TestResponse get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    TestResponse delete(String pathAndQuery) {
        return send(request(pathAndQuery).DELETE());
    }

    TestResponse post(String pathAndQuery, String json) {
        return post(pathAndQuery, "application/json", json);
    }

    TestResponse post(String pathAndQuery, @Nullable String contentType, String body) {
        HttpRequest.Builder request = request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    TestResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            return new TestResponse(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop();
        http.close();
        if (!Files.exists(imageDirectory)) {
            return; // closed before
        }
        try (var files = Files.walk(imageDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
