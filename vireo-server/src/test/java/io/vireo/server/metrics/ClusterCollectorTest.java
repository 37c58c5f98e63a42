package io.vireo.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.agent.metrics.MetricsExposition;
import io.vireo.common.IdGenerator;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.CreateVmRequest;
import io.vireo.controller.EventLog;
import io.vireo.controller.PlacementController;
import io.vireo.controller.RequestContext;
import io.vireo.controller.VmService;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.DesiredVm;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostUsage;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ClusterCollectorTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test");
    private static final double MIB = 1024.0 * 1024;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Repositories store = new InMemoryStore().repositories();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final AgentGateway agents = new AgentGateway() {
        @Override
        public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {}

        @Override
        public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {}

        @Override
        public boolean connected(UUID hostId) {
            return true;
        }

        @Override
        public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    };
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final PlacementController placement = new PlacementController(
            store,
            new FirstFitScheduler(),
            agents,
            events,
            audit,
            clock,
            settings,
            IdGenerator.seeded(new SplittableRandom(1)));
    private final VmService vms = new VmService(
            store, agents, placement, events, IdGenerator.seeded(new SplittableRandom(2)), clock, settings);
    private final AgentSessions sessions = new AgentSessions(store, agents, placement, events, audit, clock, settings);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ClusterCollectorTest() {
        CatalogService catalog = new CatalogService(store, IdGenerator.seeded(new SplittableRandom(3)), clock);
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
        registry.getPrometheusRegistry().register(new ClusterCollector(store, clock));
    }

    private String scrape() {
        return registry.scrape(MetricsExposition.TEXT);
    }

    /** The value of the one series {@code series} (name and labels as written), or fails. */
    private static double value(String text, String series) {
        return text.lines()
                .filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + text));
    }

    @Test
    void vmsByStateHostsAndTheirFiguresInBaseUnitsLabelledByHostId() {
        Host busy = sessions.register(new HostRegistration("busy", new Resources(8, 16384, 100), List.of(), "fake"));
        Host idle = sessions.register(new HostRegistration("idle", new Resources(4, 8192, 50), List.of(), "fake"));
        for (String name : List.of("web-1", "web-2")) {
            vms.create(ADMIN, new CreateVmRequest(name, "small", "test-guest", null));
        }
        placement.placePending();
        store.hosts().recordHeartbeat(busy.id(), new HostUsage(50, 1024, 10, 2), clock.instant());
        clock.advance(Duration.ofSeconds(5));
        vms.create(ADMIN, new CreateVmRequest("web-3", "small", "test-guest", null));

        String text = scrape();

        assertThat(value(text, "vireo_cluster_metrics_readable")).isEqualTo(1);
        assertThat(value(text, "vireo_vms{state=\"SCHEDULED\"}")).isEqualTo(2);
        assertThat(value(text, "vireo_vms{state=\"PENDING\"}")).isEqualTo(1);
        assertThat(value(text, "vireo_vms{state=\"RUNNING\"}")).isZero();
        assertThat(text).doesNotContain("vireo_vms{state=\"DELETED\"}");
        assertThat(value(text, "vireo_hosts{state=\"UP\"}")).isEqualTo(2);
        String busyId = "host_id=\"" + busy.id() + "\"";
        assertThat(value(text, "vireo_host_info{driver=\"fake\"," + busyId + ",host_name=\"busy\"}"))
                .isEqualTo(1);
        assertThat(value(text, "vireo_host_state{" + busyId + ",state=\"UP\"}")).isEqualTo(1);
        assertThat(value(text, "vireo_host_capacity_memory_bytes{" + busyId + "}"))
                .isEqualTo(16384 * MIB);
        assertThat(value(text, "vireo_host_capacity_disk_bytes{" + busyId + "}"))
                .isEqualTo(100 * 1024 * MIB);
        assertThat(value(text, "vireo_host_allocated_vcpus{" + busyId + "}")).isEqualTo(4);
        assertThat(value(text, "vireo_host_allocatable_vcpus{" + busyId + "}")).isEqualTo(8);
        assertThat(value(text, "vireo_host_cpu_usage_ratio{" + busyId + "}")).isEqualTo(0.5);
        assertThat(value(text, "vireo_host_memory_used_bytes{" + busyId + "}")).isEqualTo(1024 * MIB);
        assertThat(value(text, "vireo_host_heartbeat_age_seconds{" + busyId + "}"))
                .isEqualTo(5);
        assertThat(value(text, "vireo_host_vms{" + busyId + ",state=\"SCHEDULED\"}"))
                .isEqualTo(2);
        assertThat(text).doesNotContain("vireo_host_vms{host_id=\"" + idle.id());
        assertThat(value(text, "vireo_reconcile_backlog_vms")).isEqualTo(3);
        assertThat(value(text, "vireo_reconcile_lag_seconds")).isEqualTo(5);
        assertThat(value(text, "vireo_vm_transitional_oldest_age_seconds"))
                .as("web-1 and web-2 SCHEDULED 5 s ago")
                .isEqualTo(5);
        text.lines()
                .filter(line -> line.startsWith("vireo_host") && !line.startsWith("vireo_host_info"))
                .forEach(line -> assertThat(line).doesNotContain("host_name").doesNotContain("web-"));
    }

    @Test
    void scrapesWithinASecondShareOneReading() {
        String first = scrape();
        sessions.register(new HostRegistration("late", new Resources(4, 8192, 50), List.of(), "fake"));

        assertThat(scrape()).isEqualTo(first);
        clock.advance(ClusterCollector.REUSE_WITHIN);
        assertThat(value(scrape(), "vireo_hosts{state=\"UP\"}")).isEqualTo(1);
    }

    @Test
    void aStoreThatCannotBeReadIsReportedAndNoStaleFigureIsShown() {
        HostRepository unreachable = (HostRepository) Proxy.newProxyInstance(
                HostRepository.class.getClassLoader(), new Class<?>[] {HostRepository.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("the database is down");
                });
        Repositories down = new Repositories(
                unreachable,
                store.vms(),
                store.claims(),
                store.events(),
                store.flavors(),
                store.images(),
                store.serverGroups(),
                store.vmStats(),
                store.volumes(),
                store.audit());
        PrometheusMeterRegistry separate = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        separate.getPrometheusRegistry().register(new ClusterCollector(down, clock));

        String text = separate.scrape(MetricsExposition.TEXT);

        assertThat(value(text, "vireo_cluster_metrics_readable")).isZero();
        assertThat(text).doesNotContain("vireo_vms{").doesNotContain("vireo_hosts{");
    }
}
