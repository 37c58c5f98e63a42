package io.vireo.api;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinLogger;
import io.vireo.api.auth.AccessPolicy;
import io.vireo.api.auth.AgentCredential;
import io.vireo.api.auth.TokenAuthenticator;
import io.vireo.api.http.CorrelationIds;
import io.vireo.api.http.Endpoint;
import io.vireo.api.http.ErrorResponses;
import io.vireo.api.http.JettyErrorHandler;
import io.vireo.api.http.JsonCodec;
import io.vireo.api.http.RateLimiter;
import io.vireo.api.http.Route;
import io.vireo.api.http.RouteDispatcher;
import io.vireo.api.http.SecurityHeaders;
import io.vireo.api.http.TlsConnector;
import io.vireo.api.openapi.OpenApiDocument;
import io.vireo.api.resource.AlertResource;
import io.vireo.api.resource.AuditResource;
import io.vireo.api.resource.AuthResource;
import io.vireo.api.resource.EventResource;
import io.vireo.api.resource.FlavorResource;
import io.vireo.api.resource.HostJoinTokenResource;
import io.vireo.api.resource.HostResource;
import io.vireo.api.resource.ImageResource;
import io.vireo.api.resource.MetricsResource;
import io.vireo.api.resource.MigrationResource;
import io.vireo.api.resource.NetworkResource;
import io.vireo.api.resource.PortResource;
import io.vireo.api.resource.ProjectResource;
import io.vireo.api.resource.ServerGroupResource;
import io.vireo.api.resource.SubnetResource;
import io.vireo.api.resource.SystemResource;
import io.vireo.api.resource.UserResource;
import io.vireo.api.resource.VmResource;
import io.vireo.api.resource.VolumeResource;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.MigrationService;
import io.vireo.controller.port.Repositories;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API v1 server: Javalin on Jetty with virtual threads, serving the routes of every resource plus the health
 * check and the OpenAPI document built from the same route descriptions. Every failure, including unknown routes and
 * unexpected exceptions, is answered in the one error shape.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop()} (idempotent). Both are thread-safe.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** The request attribute holding the matched route's path template. */
    private static final String ROUTE_ATTRIBUTE = "vireo.route";

    private final ApiSettings settings;
    private final List<Route> routes;
    private final RouteDispatcher dispatcher;
    private final ErrorResponses errors;
    private final CorrelationIds correlationIds;
    private final JsonCodec json = new JsonCodec();
    private final ApiTelemetry telemetry;
    private @Nullable Javalin app;
    private boolean stopped;

    /**
     * @param authenticator turns bearer tokens into callers
     * @param agents the credential host agents present to download images
     * @param ids the source of generated correlation ids
     * @param policy which roles may call which route; a route it does not name is refused to everyone
     */
    public ApiServer(
            ApiSettings settings,
            TokenAuthenticator authenticator,
            AgentCredential agents,
            ApiServices services,
            IdGenerator ids,
            AccessPolicy policy) {
        this(settings, authenticator, agents, services, ids, policy, ApiTelemetry.NONE);
    }

    /** @param telemetry serves {@code /metrics} and the agents' targets, and hears of every request served */
    public ApiServer(
            ApiSettings settings,
            TokenAuthenticator authenticator,
            AgentCredential agents,
            ApiServices services,
            IdGenerator ids,
            AccessPolicy policy,
            ApiTelemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.correlationIds = new CorrelationIds(requireNonNull(ids, "ids is null"));
        this.dispatcher = new RouteDispatcher(
                authenticator,
                agents,
                correlationIds,
                json,
                settings.maxRequestBodyBytes(),
                new RateLimiter(settings.rateLimit(), Clock.systemUTC()),
                policy,
                (caller, name) -> services.identity().project(caller, name).id(),
                services.audit(),
                new RateLimiter(RouteDispatcher.AUDITED_REFUSALS, Clock.systemUTC()));
        this.errors = new ErrorResponses(json, correlationIds);
        this.routes = routes(requireNonNull(services, "services is null"), json, telemetry);
    }

    /** Every resource's routes, then the health check and the OpenAPI document that describes them all. */
    private static List<Route> routes(ApiServices services, JsonCodec json, ApiTelemetry telemetry) {
        Repositories store = services.store();
        MigrationService migrations = services.migrations();
        List<Route> routes = new ArrayList<>();
        routes.addAll(
                new AuthResource(services.identity(), new RateLimiter(AuthResource.LOGIN_LIMIT, Clock.systemUTC()))
                        .routes());
        routes.addAll(new ProjectResource(services.identity()).routes());
        routes.addAll(new UserResource(services.identity()).routes());
        routes.addAll(new HostResource(store.hosts(), services.catalog(), services.hostDeletions(), services.drains())
                .routes());
        HostEnrollment enrollment = services.enrollment();
        if (enrollment != null) {
            routes.addAll(new HostJoinTokenResource(enrollment, store.hosts()).routes());
        }
        routes.addAll(new FlavorResource(services.catalog()).routes());
        routes.addAll(new ImageResource(services.catalog(), services.images()).routes());
        routes.addAll(new VolumeResource(services.catalog()).routes());
        routes.addAll(new VmResource(services.vms(), store, migrations).routes());
        routes.addAll(new ServerGroupResource(services.groups()).routes());
        routes.addAll(new NetworkResource(services.networks()).routes());
        routes.addAll(new SubnetResource(services.networks()).routes());
        routes.addAll(new PortResource(services.networks()).routes());
        if (migrations != null) {
            routes.addAll(new MigrationResource(migrations, store.hosts()).routes());
        }
        routes.addAll(new EventResource(store, services.vms()).routes());
        routes.addAll(new AuditResource(services.audit(), services.identity()).routes());
        routes.addAll(new MetricsResource(telemetry).routes());
        routes.addAll(new AlertResource(services.alerts()).routes());
        routes.add(SystemResource.health());
        List<Endpoint> described =
                new ArrayList<>(routes.stream().map(Route::endpoint).toList());
        described.add(SystemResource.OPENAPI);
        routes.add(SystemResource.openApi(OpenApiDocument.build(json.mapper(), described)));
        return List.copyOf(routes);
    }

    /** The endpoints this server serves, as its OpenAPI document describes them. */
    public List<Endpoint> endpoints() {
        return routes.stream().map(Route::endpoint).toList();
    }

    /** Binds and starts serving; returns the bound port. */
    public synchronized int start() {
        if (app != null || stopped) {
            throw new IllegalStateException("an ApiServer starts once");
        }
        JavalinLogger.startupInfo = false; // Javalin's own switch is global; this class logs the address itself
        Javalin created = Javalin.create(this::configure);
        Javalin started;
        try {
            started = created.start(settings.bindHost(), settings.port());
        } catch (RuntimeException e) {
            created.stop();
            throw e;
        }
        app = started;
        log.info(
                "REST API listening on {}:{} ({})",
                settings.bindHost(),
                started.port(),
                settings.tls() == null ? "plain HTTP" : "HTTPS");
        return started.port();
    }

    /** Stops serving; requests in flight may be cut short. Idempotent. */
    public synchronized void stop() {
        stopped = true;
        Javalin running = app;
        if (running != null) {
            running.stop();
            app = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** "METHOD path" of every HTTP endpoint registered in Javalin (not filters such as before), for tests. */
    synchronized List<String> registeredRoutes() {
        Javalin running = app;
        if (running == null) {
            throw new IllegalStateException("not started");
        }
        return running.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(parsed -> parsed.endpoint.method.isHttpMethod())
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .toList();
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.concurrency.useVirtualThreads = true;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = settings.maxRequestBodyBytes();
        config.router.javaLangErrorHandler(errors::writeUnexpected);
        config.requestLogger.http((ctx, millis) -> {
            log.debug(
                    "{} {} -> {} in {} ms [{}]",
                    ctx.method(),
                    ctx.path(),
                    ctx.statusCode(),
                    millis,
                    correlationIds.of(ctx));
            String route = ctx.attribute(ROUTE_ATTRIBUTE);
            telemetry.served(
                    ctx.method().name(),
                    route == null ? ApiTelemetry.UNMATCHED : route,
                    ctx.statusCode(),
                    Duration.ofNanos((long) (millis * 1_000_000)));
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrorHandler(json)));
        ApiTlsIdentity tls = settings.tls();
        if (tls != null) {
            // the only connector: Javalin adds its plain one only when none was added
            config.jetty.addConnector(
                    (server, http) -> TlsConnector.create(server, http, tls, settings.bindHost(), settings.port()));
        }
        boolean secure = tls != null;
        // before(): also for requests that no route matches
        config.routes.before(ctx -> {
            correlationIds.of(ctx);
            SecurityHeaders.apply(ctx, secure);
        });
        config.routes.exception(VireoException.class, (failure, ctx) -> errors.write(ctx, failure));
        config.routes.exception(HttpResponseException.class, (failure, ctx) -> errors.write(ctx, failure));
        config.routes.exception(Exception.class, (failure, ctx) -> errors.writeUnexpected(ctx, failure));
        for (Route route : routes) {
            HandlerType method =
                    HandlerType.findOrCreate(route.endpoint().method().name());
            String template = route.endpoint().path();
            config.routes.addHttpHandler(method, template, ctx -> {
                ctx.attribute(ROUTE_ATTRIBUTE, template); // the route's template, for metrics: never the raw path
                dispatcher.dispatch(route, ctx);
            });
        }
    }
}
