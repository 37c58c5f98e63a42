package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.Image;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Eight threads race to claim the same gangs (half of them in hard anti-affinity groups, maxPerHost 1) and single VMs
 * onto five small hosts that cannot hold them all. Each thread takes the work in its own seeded random order and
 * claims at the generations it just read, choosing hosts at random (distinct hosts for an anti-affine gang), and tries
 * again on a lost race. Afterwards: every gang is placed whole or not at all, every host's allocation is the sum of its
 * VMs and within capacity, and no host holds two members of an anti-affinity group.
 */
final class GangClaimRace {
    static final long SEED = 20_261_128L;
    private static final int THREADS = 8;
    private static final int HOSTS = 5;
    private static final int GANGS = 10;
    private static final int SINGLES = 20;
    private static final Resources HOST_CAPACITY = new Resources(8, 65_536, 1_000);
    private static final int ATTEMPTS = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final Repositories store;
    private final Flavor flavor;
    private final Image image;
    private final long seed;

    GangClaimRace(Repositories store, Flavor flavor, Image image, long seed) {
        this.store = store;
        this.flavor = flavor;
        this.image = image;
        this.seed = seed;
    }

    /** A gang or a single VM (a gang of one without a gang id), and whether its members must be on distinct hosts. */
    private record Work(List<Vm> vms, boolean antiAffine) {}

    void run() throws Exception {
        for (int i = 0; i < HOSTS; i++) {
            store.hosts().register(new HostRegistration("gang-race-" + i, HOST_CAPACITY, List.of(), "fake"), NOW);
        }
        List<Work> work = createWork(new SplittableRandom(seed));
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> racers = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                SplittableRandom random = new SplittableRandom(seed + 1 + thread);
                racers.add(executor.submit(() -> {
                    start.await();
                    race(random, work);
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        checkInvariants(work);
    }

    private List<Work> createWork(SplittableRandom random) {
        List<Work> work = new ArrayList<>();
        for (int g = 0; g < GANGS; g++) {
            boolean antiAffine = g % 2 == 0;
            UUID groupId = null;
            if (antiAffine) {
                groupId = store.serverGroups()
                        .create(new ServerGroup(
                                UUID.randomUUID(),
                                Project.ADMIN_ID,
                                "race-" + g,
                                NOW,
                                ServerGroupPolicy.ANTI_AFFINITY,
                                1))
                        .id();
            }
            PlacementConstraints constraints =
                    new PlacementConstraints(groupId, null, Set.of(), Set.of(), UUID.randomUUID());
            List<Vm> members = new ArrayList<>();
            int size = 2 + random.nextInt(HOSTS); // up to HOSTS + 1: some anti-affine gangs can never fit
            for (int i = 1; i <= size; i++) {
                members.add(Vm.create(
                        UUID.randomUUID(), Project.ADMIN_ID, "gang-" + g + "-" + i, NOW, flavor, image, constraints));
            }
            work.add(new Work(store.vms().createGang(members, null), antiAffine));
        }
        for (int i = 0; i < SINGLES; i++) {
            Vm vm = Vm.create(UUID.randomUUID(), Project.ADMIN_ID, "single-" + i, NOW, flavor, image);
            work.add(new Work(List.of(store.vms().create(vm, null)), false));
        }
        return work;
    }

    private void race(SplittableRandom random, List<Work> work) {
        List<Work> order = new ArrayList<>(work);
        Collections.shuffle(order, random);
        for (Work item : order) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                ClaimResult outcome = claim(item, random);
                if (outcome instanceof ClaimResult.Claimed || outcome instanceof ClaimResult.VmChanged) {
                    break;
                }
            }
        }
    }

    private ClaimResult claim(Work item, SplittableRandom random) {
        List<Host> hosts = new ArrayList<>(store.hosts().list());
        Collections.shuffle(hosts, random);
        if (item.vms().size() == 1 && item.vms().get(0).constraints().gangId() == null) {
            Vm vm = item.vms().get(0);
            Host host = hosts.get(0);
            VmTransition place = new VmTransition.Place(vm.id(), host.id(), vm.resources());
            return store.claims().claim(ClaimRequest.of(place, host.resourceGeneration(), NOW));
        }
        if (item.antiAffine() && item.vms().size() > hosts.size()) {
            // Ask anyway with a host repeated: the store must refuse it.
            hosts.add(hosts.get(0));
        }
        ClaimRequest.Builder gang = ClaimRequest.allOrNothing(NOW);
        for (int i = 0; i < item.vms().size(); i++) {
            Vm vm = item.vms().get(i);
            Host host = item.antiAffine() ? hosts.get(i) : hosts.get(random.nextInt(hosts.size()));
            gang.add(new VmTransition.Place(vm.id(), host.id(), vm.resources()), host.resourceGeneration());
        }
        return store.claims().claim(gang.build());
    }

    private void checkInvariants(List<Work> work) {
        List<Vm> all = new ArrayList<>();
        for (Work item : work) {
            List<Vm> now = item.vms().stream()
                    .map(vm -> store.vms().find(vm.id()).orElseThrow())
                    .toList();
            all.addAll(now);
            long placed = now.stream().filter(vm -> vm.hostId() != null).count();
            assertThat(placed)
                    .as("seed %d: placed members of %s", seed, now.get(0).name())
                    .isIn(0L, (long) now.size());
            if (item.antiAffine()) {
                assertThat(now.stream()
                                .map(Vm::hostId)
                                .filter(java.util.Objects::nonNull)
                                .distinct()
                                .count())
                        .as("seed %d: hosts of anti-affine %s", seed, now.get(0).name())
                        .isEqualTo(placed);
            }
        }
        assertThat(all.stream().filter(vm -> vm.hostId() != null).count())
                .as("seed %d: some VMs were placed", seed)
                .isPositive();
        Map<UUID, Resources> byHost = new HashMap<>();
        all.stream()
                .filter(vm -> vm.hostId() != null)
                .forEach(vm -> byHost.merge(vm.hostId(), vm.resources(), Resources::plus));
        for (Host host : store.hosts().list()) {
            assertThat(host.allocated())
                    .as("seed %d: allocation of %s", seed, host.name())
                    .isEqualTo(byHost.getOrDefault(host.id(), Resources.ZERO));
            assertThat(host.allocated().fitsWithin(host.capacity()))
                    .as("seed %d: %s within capacity", seed, host.name())
                    .isTrue();
        }
    }
}
