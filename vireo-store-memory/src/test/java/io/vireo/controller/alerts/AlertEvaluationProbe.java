package io.vireo.controller.alerts;

import io.vireo.common.testing.MutableClock;
import io.vireo.controller.EventLog;
import io.vireo.controller.port.ClaimRequest;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.store.memory.InMemoryStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The time of one alert evaluation (every built-in rule, read, evaluate, write) on the in-memory store, a benchmark
 * for docs/benchmarks.md, not a test: {@code HOSTS} hosts of 64 vCPUs, {@code VMS} VMs of 1 vCPU / 1 GiB spread over
 * them and RUNNING, 1% of the hosts DOWN and 1% of the VMs STARTING for an hour (so host-down and stuck-VM alerts fire,
 * capped at the rules' limit, and the watchdog). Prints the median and the 90th percentile of wall and thread CPU time
 * over {@code ROUNDS} evaluations after as many for warm-up.
 *
 * <p>Usage: {@code AlertEvaluationProbe [HOSTS [VMS [ROUNDS]]]} (defaults 1,000, 10,000, 200).
 */
public final class AlertEvaluationProbe {
    private AlertEvaluationProbe() {}

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
        InMemoryStore memory = new InMemoryStore();
        Repositories store = memory.repositories();
        fill(store, clock, hosts, vms);
        AlertService alerts = new AlertService(
                memory.alerts(),
                store,
                memory.migrations(),
                new EventLog(store.events(), clock),
                notices -> {},
                clock,
                AlertSettings.DEFAULTS,
                BuiltInAlertRules.of(AlertSettings.DEFAULTS));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] wall = new long[rounds];
        long[] cpu = new long[rounds];
        AlertService.Outcome outcome = null;
        for (int round = -rounds; round < rounds; round++) {
            clock.advance(AlertSettings.DEFAULTS.evaluationInterval());
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            outcome = alerts.evaluate();
            if (round >= 0) {
                wall[round] = System.nanoTime() - wallStart;
                cpu[round] = threads.getCurrentThreadCpuTime() - cpuStart;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%,d hosts, %,d VMs, %d rounds: %s%nwall µs median %.0f p90 %.0f; thread CPU µs median %.0f p90 %.0f%n",
                hosts,
                vms,
                rounds,
                outcome,
                percentile(wall, 50),
                percentile(wall, 90),
                percentile(cpu, 50),
                percentile(cpu, 90));
    }

    private static void fill(Repositories store, MutableClock clock, int hostCount, int vmCount) {
        Instant start = clock.instant();
        Flavor flavor = new Flavor(UUID.randomUUID(), "small", start, new Resources(1, 1024, 10));
        Image image = new Image(UUID.randomUUID(), Project.ADMIN_ID, "cirros", start, ImageFormat.QCOW2, 1 << 20);
        store.flavors().create(flavor);
        store.images().create(image);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            hosts.add(store.hosts()
                    .register(
                            new HostRegistration("h" + i, new Resources(64, 262_144, 4_000), List.of(), "fake"),
                            start));
        }
        for (int i = 0; i < vmCount; i++) {
            Vm vm = store.vms()
                    .create(Vm.create(UUID.randomUUID(), Project.ADMIN_ID, "vm-" + i, start, flavor, image), null);
            Host host = store.hosts().find(hosts.get(i % hostCount).id()).orElseThrow();
            store.claims()
                    .claim(ClaimRequest.of(
                            new VmTransition.Place(vm.id(), host.id(), vm.resources()),
                            host.resourceGeneration(),
                            start));
            Vm placed = store.vms().find(vm.id()).orElseThrow();
            VmState state = i % 100 == 0 ? VmState.STARTING : VmState.RUNNING;
            store.vms()
                    .updateStatus(
                            placed.id(),
                            placed.generation(),
                            placed.epoch(),
                            state,
                            null,
                            placed.generation(),
                            start,
                            start);
        }
        for (int i = 0; i < hostCount; i += 100) {
            store.hosts().updateState(hosts.get(i).id(), HostState.DOWN);
        }
        clock.advance(Duration.ofHours(1));
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
    }
}
