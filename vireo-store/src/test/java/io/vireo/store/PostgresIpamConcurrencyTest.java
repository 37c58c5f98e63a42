package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.NetworkService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.SubnetRequest;
import io.vireo.model.FixedIp;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Ipv4Cidr;
import io.vireo.model.Port;
import io.vireo.model.Project;
import io.vireo.model.Subnet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPAM under contention on a real PostgreSQL, through the network service: 1,000 ports created at once from 32
 * threads on a /22 (1,021 addresses in its pool: 1,024 less the network, broadcast and gateway addresses) get 1,000
 * distinct addresses; the next 21 get the rest, and every create after that answers CONFLICT.
 */
class PostgresIpamConcurrencyTest {
    private static final RequestContext CONTEXT = new RequestContext(Project.ADMIN_ID, "ipam-test");
    private static final int THREADS = 32;
    private static final int CONCURRENT_CREATES = 1000;

    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("ipam"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void aThousandConcurrentCreatesOnASlash22NeverShareAnAddressAndExhaustionIsAConflict() throws Exception {
        TestPostgres.truncate(database);
        SplittableRandom random = new SplittableRandom(14);
        IdGenerator ids = synchronizedIds(IdGenerator.seeded(random));
        NetworkService service = new NetworkService(
                database.networks(),
                database.repositories().vms(),
                ids,
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                NetworkService.DEFAULT_ADDRESS_HOLD_BACK);
        service.createNetwork(CONTEXT, "big", null, false);
        Subnet subnet = service.createSubnet(
                CONTEXT, SubnetRequest.parse("big-v4", "big", "10.20.0.0/22", null, null, false, List.of(), List.of()));
        assertThat(subnet.poolSize()).isEqualTo(1021);

        List<Port> concurrent = createConcurrently(service);

        assertThat(concurrent).hasSize(CONCURRENT_CREATES);
        List<Ipv4Address> addresses = addresses(concurrent);
        assertThat(addresses)
                .hasSize(CONCURRENT_CREATES)
                .doesNotHaveDuplicates()
                .allMatch(a -> inPool(subnet, a));
        List<Port> rest = new ArrayList<>();
        for (int i = CONCURRENT_CREATES + 1; i <= 1021; i++) { // the 1,001st to the 1,021st
            rest.add(service.createPort(CONTEXT, "big", null, null, null));
        }
        for (int i = 0; i < 2; i++) { // the 1,022nd and 1,023rd
            assertThatThrownBy(() -> service.createPort(CONTEXT, "big", null, null, null))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        }
        List<Ipv4Address> all = new ArrayList<>(addresses);
        all.addAll(addresses(rest));
        Ipv4Cidr cidr = subnet.cidr();
        assertThat(all).hasSize(1021).doesNotHaveDuplicates().doesNotContain(cidr.network(), cidr.broadcast());
        assertThat(all).doesNotContain(subnet.gateway());
        assertThat(storedAllocations()).isEqualTo(1021);
        assertThat(service.ports(CONTEXT)).hasSize(1021);
    }

    private static List<Port> createConcurrently(NetworkService service) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Integer> work = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < CONCURRENT_CREATES; i++) {
                work.add(i);
            }
            List<Future<List<Port>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Port> mine = new ArrayList<>();
                    while (work.poll() != null) {
                        mine.add(service.createPort(CONTEXT, "big", null, null, null));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Port> created = new ArrayList<>();
            for (Future<List<Port>> future : futures) {
                created.addAll(future.get(5, TimeUnit.MINUTES));
            }
            return created;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Ipv4Address> addresses(List<Port> ports) {
        return ports.stream()
                .flatMap(port -> port.fixedIps().stream())
                .map(FixedIp::address)
                .toList();
    }

    private static boolean inPool(Subnet subnet, Ipv4Address address) {
        return subnet.pools().stream().anyMatch(pool -> pool.contains(address));
    }

    private static long storedAllocations() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(DISTINCT (subnet_id, address)) FROM ip_allocations WHERE port_id IS NOT NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The seeded generator is not thread-safe: the test's threads share it under a lock. */
    private static IdGenerator synchronizedIds(IdGenerator ids) {
        Object lock = new Object();
        return () -> {
            synchronized (lock) {
                return ids.next();
            }
        };
    }
}
