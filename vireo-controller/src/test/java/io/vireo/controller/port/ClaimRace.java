package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.Image;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Eight threads race to claim the same VMs on a few small hosts, each from its own stale snapshot, while two of them
 * also delete VMs. Afterwards no host is over-allocated, each host's allocation is exactly the sum of its live VMs,
 * and every VM was claimed at most once. Each thread's choices come from {@code seed}; the interleaving does not.
 */
final class ClaimRace {
    static final long SEED = 20_260_301L;
    private static final int THREADS = 8;
    private static final int DELETING_THREADS = 2;
    /** One in this many VMs a deleting thread visits, it deletes. */
    private static final int DELETE_ONE_IN = 4;

    private static final int HOSTS = 3;
    private static final Resources HOST_CAPACITY = new Resources(4, 8_192, 100);
    private static final int VMS = 32;
    private static final int ATTEMPTS_PER_VM = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final Repositories store;
    private final Flavor flavor;
    private final Image image;
    private final long seed;
    private final AtomicInteger claimed = new AtomicInteger();

    ClaimRace(Repositories store, Flavor flavor, Image image, long seed) {
        this.store = store;
        this.flavor = flavor;
        this.image = image;
        this.seed = seed;
    }

    void run() throws Exception {
        for (int i = 0; i < HOSTS; i++) {
            store.hosts().register(new HostRegistration("race-" + i, HOST_CAPACITY, List.of(), "fake"), NOW);
        }
        List<Vm> vms = new ArrayList<>();
        for (int i = 0; i < VMS; i++) {
            Vm vm = Vm.create(UUID.randomUUID(), Project.ADMIN_ID, "race-" + i, NOW.plusMillis(i), flavor, image);
            vms.add(store.vms().create(vm, null));
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> racers = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int index = thread;
                racers.add(executor.submit(() -> {
                    start.await();
                    race(index, vms);
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        checkInvariants(vms);
    }

    private void race(int thread, List<Vm> vms) {
        SplittableRandom random = new SplittableRandom(seed + thread);
        List<Vm> order = new ArrayList<>(vms);
        Collections.shuffle(order, random);
        for (Vm vm : order) {
            if (thread < DELETING_THREADS && random.nextInt(DELETE_ONE_IN) == 0) {
                store.claims().releaseAndMarkDeleted(vm.id(), NOW);
            } else {
                claim(vm, random);
            }
        }
    }

    private void claim(Vm vm, SplittableRandom random) {
        for (int attempt = 0; attempt < ATTEMPTS_PER_VM; attempt++) {
            List<Host> snapshot = store.hosts().list();
            Host host = snapshot.get(random.nextInt(snapshot.size()));
            VmTransition place = new VmTransition.Place(vm.id(), host.id(), vm.resources());
            ClaimResult outcome = store.claims().claim(ClaimRequest.of(place, host.resourceGeneration(), NOW));
            if (outcome instanceof ClaimResult.Claimed) {
                claimed.incrementAndGet();
            }
            if (!(outcome instanceof ClaimResult.HostChanged)) {
                return;
            }
        }
    }

    private void checkInvariants(List<Vm> created) {
        List<Vm> vms = created.stream()
                .map(vm -> store.vms().find(vm.id()).orElseThrow())
                .toList();
        for (Host host : store.hosts().list()) {
            Resources live = vms.stream()
                    .filter(vm -> host.id().equals(vm.hostId()) && vm.state() != VmState.DELETED)
                    .map(Vm::resources)
                    .reduce(Resources.ZERO, Resources::plus);
            assertThat(host.allocated().fitsWithin(host.capacity()))
                    .as("seed %d: host %s over-allocated: %s", seed, host.name(), host)
                    .isTrue();
            assertThat(host.allocated())
                    .as("seed %d: allocation of %s", seed, host.name())
                    .isEqualTo(live);
        }
        List<Vm> placed = vms.stream().filter(vm -> vm.hostId() != null).toList();
        assertThat(placed).as("seed %d: every placement claimed once", seed).allMatch(vm -> vm.epoch() == 1);
        assertThat(placed).as("seed %d: placements = successful claims", seed).hasSize(claimed.get());
        assertThat(claimed.get()).as("seed %d: some claims succeeded", seed).isPositive();
    }
}
