package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.AuditLog;
import io.vireo.controller.EventLog;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.HostEnrollment.Redemption;
import io.vireo.controller.HostEnrollmentSettings;
import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.controller.port.AgentCredentialRepository.StoredAuthority;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.HostCertificate;
import io.vireo.model.HostRegistration;
import io.vireo.model.JoinToken;
import io.vireo.model.Resources;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Join tokens, the CA row and host certificates on a real PostgreSQL, through the enrollment rules. */
class HostEnrollmentStoreTest {
    private static final String FINGERPRINT = "ab".repeat(32);
    private static Database database;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeAll
    static void start() {
        database = Database.start(TestPostgres.freshDatabase("host_enrollment"));
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private HostEnrollment enrollment() {
        Repositories store = database.repositories();
        return new HostEnrollment(
                database.agentCredentials(),
                store.hosts(),
                new EventLog(store.events(), clock),
                new AuditLog(store.audit(), clock),
                IdGenerator.secure(),
                clock,
                new SecureRandom(),
                HostEnrollmentSettings.DEFAULTS,
                FINGERPRINT);
    }

    private static String secret(HostEnrollment.IssuedJoinToken issued) {
        return JoinToken.parse(issued.text()).orElseThrow().secret();
    }

    @Test
    void aJoinTokenIsUsedOnceAndTheSecondUseIsRefusedAndRecorded() {
        HostEnrollment enrollment = enrollment();
        HostEnrollment.IssuedJoinToken issued = enrollment.createJoinToken(null, Duration.ofHours(1));
        assertThat(issued.text()).startsWith("vireo-join-v1." + FINGERPRINT + ".");
        assertThat(database.agentCredentials().findJoinToken(HostEnrollment.sha256(secret(issued))))
                .hasValueSatisfying(token -> assertThat(token.used()).isFalse());

        Redemption first = enrollment.redeem(secret(issued), "twice-a", "192.0.2.1");
        Redemption second = enrollment.redeem(secret(issued), "twice-b", "192.0.2.2");

        assertThat(first).isInstanceOf(Redemption.Accepted.class);
        assertThat(second)
                .isInstanceOfSatisfying(
                        Redemption.Refused.class,
                        refused -> assertThat(refused.reason())
                                .contains("already used")
                                .contains("twice-a"));
        List<Event> refusals =
                database
                        .repositories()
                        .events()
                        .list(new EventFilter("join-token", issued.token().id(), null, 0, 100))
                        .stream()
                        .filter(event -> event.type().equals("AgentEnrollRefused"))
                        .toList();
        assertThat(refusals).singleElement().satisfies(event -> {
            assertThat(event.objectKind()).isEqualTo("join-token");
            assertThat(event.objectName()).isEqualTo("twice-b");
            assertThat(event.message()).contains("already used").contains("from 192.0.2.2");
            assertThat(event.message()).doesNotContain(secret(issued));
        });
    }

    @Test
    void ofAgentsPresentingOneTokenAtOnceExactlyOneEnrolls() throws Exception {
        HostEnrollment enrollment = enrollment();
        String secret = secret(enrollment.createJoinToken(null, null));
        List<Callable<Redemption>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "racer-" + i;
            attempts.add(() -> enrollment.redeem(secret, name, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Redemption> outcomes = new ArrayList<>();
            for (Future<Redemption> outcome : pool.invokeAll(attempts)) {
                outcomes.add(outcome.get());
            }
            assertThat(outcomes)
                    .filteredOn(Redemption.Accepted.class::isInstance)
                    .hasSize(1);
            assertThat(outcomes)
                    .filteredOn(Redemption.Refused.class::isInstance)
                    .hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredUnknownAndTakenNameTokensAreRefused() {
        HostEnrollment enrollment = enrollment();
        String expiring = secret(enrollment.createJoinToken(null, Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(enrollment.redeem(expiring, "late", null))
                .isInstanceOfSatisfying(
                        Redemption.Refused.class,
                        refused -> assertThat(refused.reason()).contains("expired"));
        assertThat(enrollment.redeem("x".repeat(43), "nobody", null))
                .isInstanceOfSatisfying(
                        Redemption.Refused.class,
                        refused -> assertThat(refused.reason()).contains("unknown"));

        Host existing = database.repositories()
                .hosts()
                .register(
                        UUID.randomUUID(),
                        new HostRegistration("taken", new Resources(4, 4096, 40), List.of(), "fake"),
                        CapacityPolicy.NONE,
                        clock.instant());
        String fresh = secret(enrollment.createJoinToken(null, null));
        assertThat(enrollment.redeem(fresh, "taken", null))
                .isInstanceOfSatisfying(
                        Redemption.Refused.class,
                        refused -> assertThat(refused.reason()).contains("belongs to host " + existing.id()));
        // the refusal did not use the token up
        assertThat(enrollment.redeem(fresh, "not-taken", null)).isInstanceOf(Redemption.Accepted.class);

        String bound = secret(enrollment.createJoinToken(existing.id(), null));
        assertThat(enrollment.redeem(bound, "someone-else", null))
                .isInstanceOfSatisfying(
                        Redemption.Refused.class,
                        refused -> assertThat(refused.reason()).contains("made for host taken"));
        assertThat(enrollment.redeem(bound, "taken", null))
                .isInstanceOfSatisfying(
                        Redemption.Accepted.class,
                        accepted -> assertThat(accepted.hostId()).isEqualTo(existing.id()));
    }

    @Test
    void tokenValiditiesOutOfRangeAndUnknownHostsAreRefusedAtCreation() {
        HostEnrollment enrollment = enrollment();
        assertThatThrownBy(() -> enrollment.createJoinToken(null, Duration.ofDays(31)))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("expires");
        assertThatThrownBy(() -> enrollment.createJoinToken(null, Duration.ZERO))
                .isInstanceOf(VireoException.class);
        assertThatThrownBy(() -> enrollment.createJoinToken(UUID.randomUUID(), null))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void certificatesAreAdmittedUntilRevokedAndOnlyForTheirHost() {
        HostEnrollment enrollment = enrollment();
        UUID host = UUID.randomUUID();
        Instant now = clock.instant();
        enrollment.recordIssued(new HostCertificate("a1", host, now, now.plus(Duration.ofDays(30)), null), false);
        enrollment.recordRenewed(new HostCertificate("a2", host, now, now.plus(Duration.ofDays(30)), null));

        assertThat(enrollment.certificateRefusal("a1", host)).isEmpty();
        assertThat(enrollment.certificateRefusal("a1", UUID.randomUUID()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("issued to host " + host));
        assertThat(enrollment.certificateRefusal("ffff", host)).isPresent();

        // re-enrolled: the new certificate is kept, the earlier ones revoked
        enrollment.recordIssued(new HostCertificate("a3", host, now, now.plus(Duration.ofDays(30)), null), true);
        assertThat(enrollment.certificateRefusal("a1", host))
                .hasValueSatisfying(reason -> assertThat(reason).contains("revoked"));
        assertThat(enrollment.certificateRefusal("a2", host)).isPresent();
        assertThat(enrollment.certificateRefusal("a3", host)).isEmpty();

        assertThat(enrollment.revokeHost(host)).isEqualTo(1);
        assertThat(enrollment.certificateRefusal("a3", host)).isPresent();
    }

    @Test
    void theFirstStoredAuthorityIsKept() {
        AgentCredentialRepository credentials = database.agentCredentials();
        StoredAuthority first = credentials.storeAuthorityIfAbsent(
                new StoredAuthority(new byte[] {1, 2}, new byte[] {3}, clock.instant()));
        StoredAuthority second = credentials.storeAuthorityIfAbsent(
                new StoredAuthority(new byte[] {9}, new byte[] {9}, clock.instant()));
        assertThat(second.certificateDer()).isEqualTo(first.certificateDer());
        assertThat(credentials.authority())
                .hasValueSatisfying(stored -> assertThat(stored.sealedKey()).isEqualTo(first.sealedKey()));
    }

    @Test
    void aHostRegisteredByIdKeepsItsNameAndNoOtherHostTakesIt() {
        var hosts = database.repositories().hosts();
        UUID id = UUID.randomUUID();
        HostRegistration registration = new HostRegistration("by-id", new Resources(2, 2048, 20), List.of(), "fake");
        Host host = hosts.register(id, registration, CapacityPolicy.NONE, clock.instant());
        assertThat(host.id()).isEqualTo(id);
        assertThat(hosts.register(id, registration, CapacityPolicy.NONE, clock.instant())
                        .resourceGeneration())
                .isEqualTo(host.resourceGeneration() + 1);

        assertThatThrownBy(() -> hosts.register(UUID.randomUUID(), registration, CapacityPolicy.NONE, clock.instant()))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("belongs to another host");
        HostRegistration renamed = new HostRegistration("renamed", new Resources(2, 2048, 20), List.of(), "fake");
        assertThatThrownBy(() -> hosts.register(id, renamed, CapacityPolicy.NONE, clock.instant()))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("another name");
        assertThat(hosts.findByName("renamed")).isEmpty();
    }
}
