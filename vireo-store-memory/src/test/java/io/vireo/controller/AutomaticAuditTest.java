package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vireo.common.IdGenerator;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import io.vireo.model.Host;
import io.vireo.model.HostCertificate;
import io.vireo.model.HostRegistration;
import io.vireo.model.ImageFormat;
import io.vireo.model.JoinToken;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryAgentCredentials;
import io.vireo.store.memory.InMemoryStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What Vireo and the agents do by themselves is in the audit log beside the API's calls: placement decisions and
 * failures, hosts registering and marked down, join tokens redeemed and refused, certificates issued.
 */
class AutomaticAuditTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "corr-create");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Repositories store = new InMemoryStore().repositories();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final PlacementController placement = new PlacementController(
            store,
            new FirstFitScheduler(),
            agents,
            events,
            audit,
            clock,
            settings,
            IdGenerator.seeded(new SplittableRandom(1)));
    private final VmService vms = new VmService(
            store, agents, placement, events, IdGenerator.seeded(new SplittableRandom(7)), clock, settings);
    private final AgentSessions sessions = new AgentSessions(store, agents, placement, events, audit, clock, settings);

    AutomaticAuditTest() {
        CatalogService catalog = new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createFlavor("huge", 64, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
    }

    @Test
    void placementsAndPlacementFailuresAreRecordedAsThePlacementsDecisions() {
        Host host = sessions.register(
                UUID.randomUUID(),
                new HostRegistration("h1", new Resources(8, 65536, 1000), List.of(), "fake"),
                "192.0.2.9");
        Vm small = vms.create(ADMIN, new CreateVmRequest("web-1", "small", "test-guest", null));
        Vm huge = vms.create(ADMIN, new CreateVmRequest("big-1", "huge", "test-guest", null));

        placement.placePending();

        AuditRecord placed = only(AuditFilter.builder(10).targetId(small.id()));
        assertThat(placed.actor()).isEqualTo(AuditRecord.Actor.system("placement"));
        assertThat(placed.action()).isEqualTo("system.placeVm");
        assertThat(placed.outcome()).isEqualTo(AuditRecord.Outcome.OK);
        assertThat(placed.projectId()).isEqualTo(Project.ADMIN_ID);
        assertThat(placed.detail()).isEqualTo("on host h1 (" + host.id() + ")");
        AuditRecord refused = only(AuditFilter.builder(10).targetId(huge.id()));
        assertThat(refused.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
        assertThat(refused.errorCode()).isEqualTo("NO_VALID_HOST");
        assertThat(refused.detail()).contains("no valid host");
        AuditRecord registered = only(AuditFilter.builder(10).action("agent.register"));
        assertThat(registered.actor()).isEqualTo(AuditRecord.Actor.host(host.id(), "h1"));
        assertThat(registered.sourceAddress()).isEqualTo("192.0.2.9");
    }

    @Test
    void aSilentHostMarkedDownIsRecordedAsTheHostMonitors() {
        Host host = sessions.register(new HostRegistration("h1", new Resources(8, 65536, 1000), List.of(), "fake"));
        clock.advance(
                settings.startupGracePeriod().plus(settings.heartbeatTimeout()).plusSeconds(1));

        assertThat(sessions.markSilentHostsDown()).isEqualTo(1);

        AuditRecord down = only(AuditFilter.builder(10).action("system.markHostDown"));
        assertThat(down.actor()).isEqualTo(AuditRecord.Actor.system("host-monitor"));
        assertThat(down.target()).isEqualTo(AuditRecord.Target.of("host", host.id(), "h1"));
        assertThat(down.createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void joinTokensRedeemedAndRefusedAndCertificatesIssuedAreRecordedWithoutTheirSecrets() {
        HostEnrollment enrollment = new HostEnrollment(
                new InMemoryAgentCredentials(),
                store.hosts(),
                events,
                audit,
                IdGenerator.seeded(new SplittableRandom(3)),
                clock,
                new SecureRandom(),
                HostEnrollmentSettings.DEFAULTS,
                "ab".repeat(32));
        HostEnrollment.IssuedJoinToken issued = enrollment.createJoinToken(null, Duration.ofHours(1));
        String secret = JoinToken.parse(issued.text()).orElseThrow().secret();

        HostEnrollment.Redemption first = enrollment.redeem(secret, "node-1", "192.0.2.1");
        HostEnrollment.Redemption again = enrollment.redeem(secret, "node-2", "192.0.2.66");
        enrollment.redeem("not-a-token-at-all-0123456789abcdef", "node-3", "192.0.2.67");
        var accepted = (HostEnrollment.Redemption.Accepted) first;
        enrollment.recordIssued(
                new HostCertificate(
                        "0a1b",
                        accepted.hostId(),
                        clock.instant(),
                        clock.instant().plusSeconds(60),
                        null),
                false);

        assertThat(again).isInstanceOf(HostEnrollment.Redemption.Refused.class);
        List<AuditRecord> enrollments = audit().stream()
                .filter(record -> record.action().equals("agent.enroll"))
                .toList();
        assertThat(enrollments)
                .extracting(AuditRecord::outcome, record -> record.actor().name(), AuditRecord::sourceAddress)
                .containsExactly(
                        tuple(AuditRecord.Outcome.DENIED, "node-3", "192.0.2.67"),
                        tuple(AuditRecord.Outcome.DENIED, "node-2", "192.0.2.66"),
                        tuple(AuditRecord.Outcome.OK, "node-1", "192.0.2.1"));
        assertThat(enrollments.get(1).target())
                .isEqualTo(AuditRecord.Target.of("join-token", issued.token().id(), null));
        assertThat(enrollments.get(1).detail()).startsWith("join token already used (by host node-1");
        assertThat(enrollments.get(2).actor())
                .isEqualTo(new AuditRecord.Actor(ActorKind.HOST, accepted.hostId(), "node-1"));
        assertThat(enrollments.get(0).target()).isEqualTo(AuditRecord.Target.of("join-token", null, null));
        AuditRecord certificate = only(AuditFilter.builder(10).action("system.issueCertificate"));
        assertThat(certificate.target().id()).isEqualTo(accepted.hostId());
        assertThat(certificate.detail()).startsWith("certificate 0a1b valid until");
        assertThat(audit().toString()).doesNotContain(secret);
    }

    private List<AuditRecord> audit() {
        return store.audit().list(AuditFilter.builder(AuditFilter.MAX_LIMIT).build());
    }

    private AuditRecord only(AuditFilter.Builder filter) {
        List<AuditRecord> records = store.audit().list(filter.build());
        assertThat(records).hasSize(1);
        return records.getFirst();
    }
}
