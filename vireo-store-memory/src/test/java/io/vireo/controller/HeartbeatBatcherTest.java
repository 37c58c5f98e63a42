package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Heartbeats offered between two flushes are written together, the latest of each host, and none is lost. */
class HeartbeatBatcherTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Repositories memory = new InMemoryStore().repositories();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private boolean storeDown;
    private int batches;
    private final Repositories store = new Repositories(
            countingHosts(),
            memory.vms(),
            memory.claims(),
            memory.events(),
            memory.flavors(),
            memory.images(),
            memory.serverGroups(),
            memory.vmStats(),
            memory.volumes(),
            memory.audit());

    private AgentSessions sessions(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        EventLog events = new EventLog(store.events(), clock);
        AuditLog audit = new AuditLog(store.audit(), clock);
        PlacementController placement = new PlacementController(
                store,
                new FirstFitScheduler(),
                agents,
                events,
                audit,
                clock,
                settings,
                IdGenerator.seeded(new SplittableRandom(1)));
        return new AgentSessions(store, agents, placement, events, audit, clock, settings);
    }

    @Test
    void aFlushWritesTheLatestHeartbeatOfEveryHostInOneBatch() {
        Host one = register("one");
        Host two = register("two");
        HeartbeatBatcher batcher = new HeartbeatBatcher(sessions(T0.plusSeconds(5)));

        batcher.offer(one.id(), usage(1), List.of());
        batcher.offer(two.id(), usage(2), List.of());
        batcher.offer(one.id(), usage(3), List.of());
        assertThat(batcher.pending()).isEqualTo(2);
        assertThat(batches).isZero();

        assertThat(batcher.flush()).isEqualTo(2);
        assertThat(batches).isEqualTo(1);
        assertThat(reload(one).usage()).isEqualTo(usage(3));
        assertThat(reload(one).lastHeartbeatAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(reload(two).usage()).isEqualTo(usage(2));
        assertThat(batcher.pending()).isZero();
        assertThat(batcher.flush()).isZero();
        assertThat(batches).as("nothing pending, nothing written").isEqualTo(1);
    }

    @Test
    void heartbeatsTheStoreRefusedAreWrittenWithTheNextBatchUnlessANewerOneCame() {
        Host one = register("one");
        Host two = register("two");
        HeartbeatBatcher batcher = new HeartbeatBatcher(sessions(T0.plusSeconds(5)));
        batcher.offer(one.id(), usage(1), List.of());
        batcher.offer(two.id(), usage(2), List.of());

        storeDown = true;
        assertThatThrownBy(batcher::flush)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(batcher.pending()).isEqualTo(2);
        batcher.offer(two.id(), usage(7), List.of());
        storeDown = false;

        assertThat(batcher.flush()).isEqualTo(2);
        assertThat(reload(one).usage()).isEqualTo(usage(1));
        assertThat(reload(two).usage()).as("the newer heartbeat wins").isEqualTo(usage(7));
    }

    @Test
    void aHeartbeatsCallbackRunsOnceItIsWrittenAndNeverIfANewerOneReplacedIt() {
        Host one = register("one");
        Host two = register("two");
        List<String> recorded = new ArrayList<>();
        List<Runnable> handedOver = new ArrayList<>();
        HeartbeatBatcher batcher = new HeartbeatBatcher(sessions(T0.plusSeconds(5)), handedOver::add);
        batcher.offer(one.id(), usage(1), List.of(), () -> recorded.add("one 1"));
        batcher.offer(two.id(), usage(2), List.of(), () -> recorded.add("two 2"));
        batcher.offer(one.id(), usage(3), List.of(), () -> recorded.add("one 3"));

        storeDown = true;
        assertThatThrownBy(batcher::flush).isInstanceOf(VireoException.class);
        assertThat(handedOver).as("nothing written, nothing acknowledged").isEmpty();
        storeDown = false;
        batcher.flush();

        assertThat(handedOver).as("one hand-over per batch, to the executor").hasSize(1);
        assertThat(recorded).isEmpty();
        handedOver.getFirst().run();
        assertThat(recorded).containsExactly("one 3", "two 2");
        assertThat(reload(one).usage()).isEqualTo(usage(3));
    }

    @Test
    void aHeartbeatOfAnUnknownHostIsSkipped() {
        Host one = register("one");
        HeartbeatBatcher batcher = new HeartbeatBatcher(sessions(T0.plusSeconds(5)));
        batcher.offer(UUID.randomUUID(), usage(1), List.of());
        batcher.offer(one.id(), usage(2), List.of());

        assertThat(batcher.flush()).isEqualTo(2);
        assertThat(reload(one).usage()).isEqualTo(usage(2));
        assertThat(store.hosts().list()).hasSize(1);
    }

    private Host register(String name) {
        return sessions(T0).register(new HostRegistration(name, new Resources(8, 8192, 100), List.of(), "fake"));
    }

    private Host reload(Host host) {
        return store.hosts().find(host.id()).orElseThrow();
    }

    private static HostUsage usage(int runningVms) {
        return new HostUsage(10.0 * runningVms, 100L * runningVms, runningVms, runningVms);
    }

    /** The in-memory hosts, counting batches of heartbeats and refusing them while {@link #storeDown}. */
    private HostRepository countingHosts() {
        HostRepository hosts = memory.hosts();
        return (HostRepository) Proxy.newProxyInstance(
                HostRepository.class.getClassLoader(), new Class<?>[] {HostRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordHeartbeats")) {
                        if (storeDown) {
                            throw new VireoException(ErrorCode.UNAVAILABLE, "the database is down");
                        }
                        batches++;
                    }
                    try {
                        return method.invoke(hosts, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
