package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.CreateVmRequest;
import io.vireo.controller.GuestRequest;
import io.vireo.controller.RequestContext;
import io.vireo.controller.VmGang;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Project;
import io.vireo.model.Vm;
import io.vireo.model.VmAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Concurrent API clients: they create VMs (alone or as gangs, with and without an Idempotency-Key, some in a hard
 * anti-affinity group), and delete, stop, start, reboot, pause, resume and live-migrate the VMs they made, without
 * waiting for one another. A create that failed with UNAVAILABLE (the store or the server went away: it may or may not have happened)
 * is retried with the same key, as a careful client does. What the API acknowledged is recorded for the invariants.
 */
final class Workload {
    static final String FLAVOR = "small";
    static final String IMAGE = "test-guest";
    static final String GROUP = "spread";
    private static final RequestContext CLIENT = new RequestContext(Project.ADMIN_ID, "sim");

    private final Simulation sim;
    private final RandomGenerator random;
    private final int maxVms;
    private int issued;
    private boolean running = true;
    private final List<String> names = new ArrayList<>();
    private final List<Retry> retries = new ArrayList<>();
    private final Map<String, Set<UUID>> idsByKey = new LinkedHashMap<>();
    private final Set<String> keysTouched = new LinkedHashSet<>();
    private final Map<UUID, String> acknowledged = new LinkedHashMap<>();

    private record Retry(String name, String key, @Nullable String group, int count) {}

    Workload(Simulation sim, RandomGenerator random, int maxVms) {
        this.sim = requireNonNull(sim, "sim is null");
        this.random = requireNonNull(random, "random is null");
        this.maxVms = maxVms;
    }

    void start() {
        next();
    }

    void stop() {
        running = false;
    }

    /** Every VM id the API returned, with its name: none may be lost. */
    Map<UUID, String> acknowledged() {
        return acknowledged;
    }

    /** The VM ids returned for each Idempotency-Key: one key, one effect. */
    Map<String, Set<UUID>> idsByKey() {
        return idsByKey;
    }

    /** The keys that gained a VM since the invariant checker last cleared this set. */
    Set<String> keysTouched() {
        return keysTouched;
    }

    private void next() {
        if (!running) {
            return;
        }
        sim.loop().after(Duration.ofMillis(50 + random.nextLong(600)), "client", () -> {
            if (running) {
                act();
                next();
            }
        });
    }

    private void act() {
        double dice = random.nextDouble();
        if (!retries.isEmpty() && dice < 0.2) {
            Retry retry = retries.remove(random.nextInt(retries.size()));
            create(retry.name(), retry.key(), retry.group(), retry.count());
        } else if (issued < maxVms && dice < 0.6) {
            // sometimes several clients at once, so that placement passes race for the last room
            int clients = random.nextDouble() < 0.2 ? 2 + random.nextInt(4) : 1;
            for (int client = 0; client < clients && issued < maxVms; client++) {
                int count = random.nextDouble() < 0.15 ? 2 + random.nextInt(3) : 1;
                count = Math.min(count, maxVms - issued);
                String name = "vm-" + (issued + 1);
                issued += count;
                String key = random.nextBoolean() ? "key-" + name : null;
                String group = random.nextDouble() < 0.3 ? GROUP : null;
                create(name, key, group, count);
            }
        } else if (!names.isEmpty()) {
            String name = names.get(random.nextInt(names.size()));
            double action = random.nextDouble();
            VmAction what;
            if (action < 0.15) {
                if (random.nextDouble() < 0.15) {
                    drainOrRestore(
                            sim.hosts().get(random.nextInt(sim.hosts().size())).name());
                } else {
                    migrate(name);
                }
                return;
            } else if (action < 0.32) {
                what = VmAction.DELETE;
            } else if (action < 0.52) {
                what = VmAction.STOP;
            } else if (action < 0.72) {
                what = VmAction.START;
            } else if (action < 0.8) {
                what = VmAction.REBOOT;
            } else if (action < 0.9) {
                what = VmAction.PAUSE;
            } else {
                what = VmAction.RESUME;
            }
            act(name, what);
        }
    }

    /** A VM's HA policy, fixed by its name: a retried create (same key) asks for the same thing. */
    private static HaPolicy haPolicy(String name) {
        HaPolicy.Mode[] modes = HaPolicy.Mode.values();
        int hash = Math.floorMod(name.hashCode(), modes.length * 3);
        return new HaPolicy(modes[hash % modes.length], (hash / modes.length) * 100);
    }

    private void create(String name, @Nullable String key, @Nullable String group, int count) {
        String label = "api create " + name + (count > 1 ? " x" + count : "") + (key == null ? "" : " keyed");
        HaPolicy ha = haPolicy(name);
        call(
                label,
                () -> {
                    CreateVmRequest request = new CreateVmRequest(
                            name, FLAVOR, IMAGE, key, group, null, List.of(), GuestRequest.NONE, ha);
                    List<Vm> made;
                    if (count > 1) {
                        VmGang gang = sim.server().vms().createGang(CLIENT, request, count);
                        made = gang.members();
                    } else {
                        made = List.of(sim.server().vms().create(CLIENT, request));
                    }
                    for (Vm vm : made) {
                        acknowledged.put(vm.id(), vm.name());
                        if (!names.contains(vm.name())) {
                            names.add(vm.name());
                        }
                        if (key != null) {
                            keysTouched.add(key + "/" + vm.name());
                            idsByKey.computeIfAbsent(key + "/" + vm.name(), k -> new LinkedHashSet<>())
                                    .add(vm.id());
                        }
                    }
                },
                e -> {
                    if (e.code() == ErrorCode.UNAVAILABLE && key != null) {
                        retries.add(new Retry(name, key, group, count));
                    }
                });
    }

    private void act(String name, VmAction action) {
        call(
                "api " + action + " " + name,
                () -> {
                    Vm vm = sim.server().vms().act(CLIENT, name, action);
                    if (action == VmAction.DELETE) {
                        names.remove(vm.name());
                    }
                },
                e -> {
                    if (e.code() == ErrorCode.NOT_FOUND) {
                        names.remove(name);
                    }
                });
    }

    /** A live migration, to a host the scheduler picks or, sometimes, to one the client names. */
    private void migrate(String name) {
        List<SimHost> hosts = sim.hosts();
        String host = random.nextDouble() < 0.3
                ? hosts.get(random.nextInt(hosts.size())).name()
                : null;
        call(
                "api migrate " + name + (host == null ? "" : " to " + host),
                () -> sim.server().migrations().migrate(CLIENT, name, host),
                e -> {
                    if (e.code() == ErrorCode.NOT_FOUND
                            && "vm".equals(e.details().get("kind"))) {
                        names.remove(name);
                    }
                });
        if (random.nextDouble() < 0.3) {
            // the same client, or another, acts on the VM while it moves: the source may be sending it meanwhile
            VmAction during = random.nextBoolean() ? VmAction.REBOOT : VmAction.START;
            sim.loop().after(Duration.ofMillis(200 + random.nextLong(4_000)), "client", () -> act(name, during));
        }
    }

    /**
     * An operator drains the host, or puts it back in service if it is in MAINTENANCE (which also ends its drain); a
     * SUSPECT or FENCED host refuses the drain.
     */
    private void drainOrRestore(String hostName) {
        call(
                "api drain or restore " + hostName,
                () -> {
                    Host host = sim.server().host(hostName);
                    if (host.state() == HostState.MAINTENANCE) {
                        sim.server().catalog().leaveMaintenance(host.id());
                    } else {
                        sim.server().drains().start(host.id(), CLIENT);
                        sim.countHa("drains asked", 1);
                    }
                },
                e -> {});
    }

    /** When the clients stop, operators end their maintenance: every host is back in service for the quiet phase. */
    void endMaintenance() {
        for (SimHost simHost : sim.hosts()) {
            call(
                    "api end maintenance on " + simHost.name(),
                    () -> {
                        Host host = sim.server().host(simHost.name());
                        if (host.state() == HostState.MAINTENANCE) {
                            sim.server().catalog().leaveMaintenance(host.id());
                        }
                    },
                    e -> {});
        }
    }

    @FunctionalInterface
    private interface Refusal {
        void handle(VireoException e);
    }

    private void call(String label, Runnable request, Refusal refused) {
        if (!sim.server().alive()) {
            sim.loop().note(label + ": server down");
            refused.handle(new VireoException(ErrorCode.UNAVAILABLE, "the server is down"));
            return;
        }
        sim.run(label, () -> {
            try {
                request.run();
                sim.loop().note(label + ": ok");
            } catch (VireoException e) {
                if (!SimServer.expected(e)) {
                    throw e;
                }
                sim.loop().note(label + ": " + e.code());
                refused.handle(e);
            }
        });
    }
}
