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
import io.vireo.model.Resources;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Lease renewals offered between two flushes are written in one batch, and acknowledged only after it: the latest of
 * each host, never one whose write failed.
 */
class LeaseRenewalBatcherTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Repositories memory = new InMemoryStore().repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private boolean storeDown;
    private int batches;
    private final List<List<UUID>> written = new ArrayList<>();
    private final List<Runnable> handedOver = new ArrayList<>();
    private final List<String> acknowledged = new ArrayList<>();
    private final Repositories store = new Repositories(
            recordingHosts(),
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
        ControllerSettings settings = ControllerSettings.defaults();
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
    void aFlushWritesEveryHostOnceInOneBatchAndAcknowledgesOnlyTheLatestRenewalOfEach() {
        Host one = register("one");
        Host two = register("two");
        LeaseRenewalBatcher batcher = new LeaseRenewalBatcher(sessions(T0.plusSeconds(5)), handedOver::add);

        batcher.offer(one.id(), () -> acknowledged.add("one 1"));
        batcher.offer(two.id(), () -> acknowledged.add("two 1"));
        batcher.offer(one.id(), () -> acknowledged.add("one 2"));
        assertThat(batcher.pending()).isEqualTo(2);
        assertThat(batches).isZero();

        assertThat(batcher.flush()).isEqualTo(2);
        assertThat(batches).isEqualTo(1);
        assertThat(written.getFirst()).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(acknowledged)
                .as("acknowledged on the executor, after the write")
                .isEmpty();
        assertThat(handedOver).hasSize(1);
        handedOver.getFirst().run();
        assertThat(acknowledged).containsExactly("one 2", "two 1");
        assertThat(store.hosts().leaseAges(T0.plusSeconds(6)))
                .containsEntry(one.id(), Duration.ofSeconds(1))
                .containsEntry(two.id(), Duration.ofSeconds(1));

        assertThat(batcher.flush()).isZero();
        assertThat(batches).as("nothing pending, nothing written").isEqualTo(1);
    }

    @Test
    void renewalsTheStoreRefusedAreNotAcknowledgedAndAreWrittenWithTheNextBatch() {
        Host one = register("one");
        Host two = register("two");
        LeaseRenewalBatcher batcher = new LeaseRenewalBatcher(sessions(T0.plusSeconds(5)), handedOver::add);
        batcher.offer(one.id(), () -> acknowledged.add("one 1"));
        batcher.offer(two.id(), () -> acknowledged.add("two 1"));

        storeDown = true;
        assertThatThrownBy(batcher::flush)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(handedOver).as("nothing committed, nothing acknowledged").isEmpty();
        assertThat(batcher.pending()).isEqualTo(2);
        batcher.offer(two.id(), () -> acknowledged.add("two 2"));
        storeDown = false;

        assertThat(batcher.flush()).isEqualTo(2);
        handedOver.forEach(Runnable::run);
        assertThat(acknowledged).containsExactlyInAnyOrder("one 1", "two 2");
    }

    @Test
    void aRenewalOfAnUnknownHostIsSkippedByTheStoreAndTheOthersAreWritten() {
        Host one = register("one");
        LeaseRenewalBatcher batcher = new LeaseRenewalBatcher(sessions(T0.plusSeconds(5)), Runnable::run);
        batcher.offer(new UUID(1, 2), () -> acknowledged.add("unknown"));
        batcher.offer(one.id(), () -> acknowledged.add("one"));

        assertThat(batcher.flush()).isEqualTo(2);
        assertThat(store.hosts().leaseAges(T0.plusSeconds(5))).containsOnlyKeys(one.id());
    }

    private Host register(String name) {
        return sessions(T0).register(new HostRegistration(name, new Resources(8, 8192, 100), List.of(), "fake"));
    }

    /** The in-memory hosts, recording batches of renewals and refusing them while {@link #storeDown}. */
    private HostRepository recordingHosts() {
        HostRepository hosts = memory.hosts();
        return (HostRepository) Proxy.newProxyInstance(
                HostRepository.class.getClassLoader(), new Class<?>[] {HostRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordLeaseRenewals")) {
                        if (storeDown) {
                            throw new VireoException(ErrorCode.UNAVAILABLE, "the database is down");
                        }
                        batches++;
                        written.add(List.copyOf((java.util.Collection<UUID>) args[0]));
                    }
                    try {
                        return method.invoke(hosts, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
