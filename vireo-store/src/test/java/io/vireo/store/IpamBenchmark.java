package io.vireo.store;

import io.vireo.common.IdGenerator;
import io.vireo.controller.NetworkService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.SubnetRequest;
import io.vireo.model.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPAM allocations per second under contention, on an embedded PostgreSQL with the test settings (no fsync): THREADS
 * threads create PORTS ports through the network service, all in one /16 subnet, then each in a subnet of its own.
 * Not a test: run it by hand (see docs/benchmarks.md).
 *
 * <p>Arguments: {@code [threads] [ports] [pool size]}, by default 16, 4,000 and 16.
 */
public final class IpamBenchmark {
    private static final RequestContext CONTEXT = new RequestContext(Project.ADMIN_ID, "ipam-benchmark");

    private IpamBenchmark() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int ports = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int poolSize = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path directory = Files.createTempDirectory("vireo-ipam-benchmark");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Database database = Database.start(postgres.databaseSettings().withMaximumPoolSize(poolSize))) {
            NetworkService service = new NetworkService(
                    database.networks(),
                    database.repositories().vms(),
                    IdGenerator.secure(),
                    Clock.systemUTC(),
                    NetworkService.DEFAULT_ADDRESS_HOLD_BACK);
            System.out.printf("threads %d, ports %d, connection pool %d%n", threads, ports, poolSize);
            run(service, "warm-up", threads, ports / 4, false);
            run(service, "one subnet", threads, ports, false);
            run(service, "a subnet per thread", threads, ports, true);
        } finally {
            TestPostgres.delete(directory);
        }
    }

    private static void run(NetworkService service, String label, int threads, int ports, boolean subnetPerThread)
            throws Exception {
        String prefix = label.replaceAll("[^a-z]", "").substring(0, 6) + System.nanoTime() % 100_000;
        List<String> networks = new ArrayList<>();
        for (int t = 0; t < (subnetPerThread ? threads : 1); t++) {
            String network = prefix + "-" + t;
            service.createNetwork(CONTEXT, network, null, false);
            service.createSubnet(
                    CONTEXT,
                    SubnetRequest.parse(
                            network, network, "10." + t + ".0.0/16", null, null, false, List.of(), List.of()));
            networks.add(network);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger left = new AtomicInteger(ports);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String network = networks.get(subnetPerThread ? t : 0);
                futures.add(pool.submit(() -> {
                    start.await();
                    while (left.getAndDecrement() > 0) {
                        service.createPort(CONTEXT, network, null, null, null);
                    }
                    return null;
                }));
            }
            long began = System.nanoTime();
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            System.out.printf(
                    "%-20s %6d ports in %6.2f s: %8.0f allocations/s%n", label, ports, seconds, ports / seconds);
        } finally {
            pool.shutdownNow();
        }
    }
}
