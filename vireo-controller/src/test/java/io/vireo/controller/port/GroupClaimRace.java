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
 * Eight threads race to claim the members of three hard anti-affinity groups (maxPerHost 1, 2 and 3) on the same two
 * roomy hosts, each VM trying the hosts in its thread's random order. Every VM is tried on every host, and a host that
 * refused a member stays full (nothing is deleted), so exactly {@code min(members, maxPerHost × hosts)} members of each
 * group are placed, and no host holds more than {@code maxPerHost} members of a group. Seeded choices; the
 * interleaving is the scheduler's.
 */
final class GroupClaimRace {
    static final long SEED = 20_261_127L;
    private static final int THREADS = 8;
    private static final int HOSTS = 2;
    private static final int MEMBERS_PER_GROUP = 8;
    private static final int[] MAX_PER_HOST = {1, 2, 3};
    private static final Resources HOST_CAPACITY = new Resources(64, 131_072, 1_000);
    private static final int ATTEMPTS_PER_HOST = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final Repositories store;
    private final Flavor flavor;
    private final Image image;
    private final long seed;

    GroupClaimRace(Repositories store, Flavor flavor, Image image, long seed) {
        this.store = store;
        this.flavor = flavor;
        this.image = image;
        this.seed = seed;
    }

    void run() throws Exception {
        for (int i = 0; i < HOSTS; i++) {
            store.hosts().register(new HostRegistration("group-race-" + i, HOST_CAPACITY, List.of(), "fake"), NOW);
        }
        Map<UUID, ServerGroup> groups = new HashMap<>();
        List<Vm> vms = new ArrayList<>();
        for (int g = 0; g < MAX_PER_HOST.length; g++) {
            ServerGroup group = store.serverGroups()
                    .create(new ServerGroup(
                            UUID.randomUUID(),
                            Project.ADMIN_ID,
                            "anti-" + g,
                            NOW,
                            ServerGroupPolicy.ANTI_AFFINITY,
                            MAX_PER_HOST[g]));
            groups.put(group.id(), group);
            PlacementConstraints constraints = new PlacementConstraints(group.id(), null, Set.of(), Set.of(), null);
            for (int i = 0; i < MEMBERS_PER_GROUP; i++) {
                Vm vm = Vm.create(
                        UUID.randomUUID(), Project.ADMIN_ID, "anti-" + g + "-" + i, NOW, flavor, image, constraints);
                vms.add(store.vms().create(vm, null));
            }
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> racers = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                SplittableRandom random = new SplittableRandom(seed + thread);
                racers.add(executor.submit(() -> {
                    start.await();
                    race(random, vms);
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        checkInvariants(groups, vms);
    }

    private void race(SplittableRandom random, List<Vm> vms) {
        List<Vm> order = new ArrayList<>(vms);
        Collections.shuffle(order, random);
        for (Vm vm : order) {
            List<Host> hosts = new ArrayList<>(store.hosts().list());
            Collections.shuffle(hosts, random);
            for (Host host : hosts) {
                ClaimResult outcome = claimOn(vm, host);
                if (!(outcome instanceof ClaimResult.GroupRuleBroken)) {
                    break; // claimed by us or by another thread
                }
            }
        }
    }

    private ClaimResult claimOn(Vm vm, Host host) {
        for (int attempt = 0; attempt < ATTEMPTS_PER_HOST; attempt++) {
            long generation = store.hosts().find(host.id()).orElseThrow().resourceGeneration();
            VmTransition place = new VmTransition.Place(vm.id(), host.id(), vm.resources());
            ClaimResult outcome = store.claims().claim(ClaimRequest.of(place, generation, NOW));
            if (!(outcome instanceof ClaimResult.HostChanged)) {
                return outcome;
            }
        }
        throw new AssertionError("seed " + seed + ": lost " + ATTEMPTS_PER_HOST + " races in a row on one host");
    }

    private void checkInvariants(Map<UUID, ServerGroup> groups, List<Vm> created) {
        List<Vm> vms = created.stream()
                .map(vm -> store.vms().find(vm.id()).orElseThrow())
                .toList();
        for (ServerGroup group : groups.values()) {
            List<Vm> placed = vms.stream()
                    .filter(vm -> group.id().equals(vm.constraints().serverGroupId()) && vm.hostId() != null)
                    .toList();
            assertThat(placed)
                    .as("seed %d: members of %s placed", seed, group.name())
                    .hasSize(Math.min(MEMBERS_PER_GROUP, group.maxPerHost() * HOSTS));
            Map<UUID, Integer> perHost = new HashMap<>();
            placed.forEach(vm -> perHost.merge(vm.hostId(), 1, Integer::sum));
            assertThat(perHost.values())
                    .as("seed %d: members of %s per host", seed, group.name())
                    .allMatch(count -> count <= group.maxPerHost());
        }
        for (Host host : store.hosts().list()) {
            Resources live = vms.stream()
                    .filter(vm -> host.id().equals(vm.hostId()))
                    .map(Vm::resources)
                    .reduce(Resources.ZERO, Resources::plus);
            assertThat(host.allocated())
                    .as("seed %d: allocation of %s", seed, host.name())
                    .isEqualTo(live);
        }
    }
}
