package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AuditRepository}. The log is never emptied (a store may refuse to), so each test writes
 * under a project of its own and filters by it.
 */
interface AuditContract extends StoreContract {

    private AuditRecord append(UUID project, AuditRecord.Builder entry, long second) {
        return store().audit().append(entry.project(project).build(at(second)));
    }

    private static AuditRecord.Builder call(String actor, String action, AuditRecord.Outcome outcome) {
        return AuditRecord.builder(new AuditRecord.Actor(ActorKind.USER, null, actor), action, outcome);
    }

    @Test
    default void anAppendedRecordComesBackAsItWasWithAnIdAboveEveryEarlierOne() {
        UUID project = UUID.randomUUID();
        UUID actor = UUID.randomUUID();
        UUID vm = UUID.randomUUID();
        AuditRecord.Builder entry = AuditRecord.builder(
                        new AuditRecord.Actor(ActorKind.SERVICE_ACCOUNT, actor, "ci"),
                        "createVm",
                        AuditRecord.Outcome.FAILED)
                .target("vm", vm, "web-1")
                .http(409, "ALREADY_EXISTS")
                .correlationId("corr-" + project)
                .source("192.0.2.7")
                .detail("field name");
        AuditRecord first = append(project, entry, 1);
        AuditRecord second = append(project, call("ann", "deleteVm", AuditRecord.Outcome.OK), 2);

        assertThat(first.id()).isPositive();
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(first).isEqualTo(entry.project(project).build(at(1)).withId(first.id()));
        assertThat(store().audit()
                        .list(AuditFilter.builder(10).projectId(project).build()))
                .containsExactly(second, first);
    }

    @Test
    default void aRecordWithoutTargetStatusOrSourceKeepsThemAbsent() {
        UUID project = UUID.randomUUID();
        AuditRecord stored = append(
                project,
                AuditRecord.builder(
                        AuditRecord.Actor.system("host-monitor"), "system.markHostDown", AuditRecord.Outcome.OK),
                1);

        assertThat(store().audit()
                        .list(AuditFilter.builder(1).projectId(project).build()))
                .singleElement()
                .isEqualTo(stored)
                .satisfies(record -> {
                    assertThat(record.target()).isEqualTo(AuditRecord.Target.NONE);
                    assertThat(record.httpStatus()).isNull();
                    assertThat(record.sourceAddress()).isNull();
                    assertThat(record.actor().id()).isNull();
                });
    }

    @Test
    default void recordsAreFilteredByEveryField() {
        UUID project = UUID.randomUUID();
        UUID annId = UUID.randomUUID();
        UUID web = UUID.randomUUID();
        AuditRecord created = append(
                project,
                AuditRecord.builder(
                                new AuditRecord.Actor(ActorKind.USER, annId, "ann"), "createVm", AuditRecord.Outcome.OK)
                        .target("vm", web, "web-1")
                        .correlationId("c-" + project),
                10);
        AuditRecord denied = append(
                project, call("bob", "deleteVm", AuditRecord.Outcome.DENIED).target("vm", null, "web-1"), 20);
        AuditRecord failed = append(
                project, call("bob", "createVolume", AuditRecord.Outcome.FAILED).target("volume", null, "data"), 30);

        assertThat(list(AuditFilter.builder(10).projectId(project))).containsExactly(failed, denied, created);
        assertThat(list(AuditFilter.builder(10).projectId(project).since(at(20))))
                .containsExactly(failed, denied);
        assertThat(list(AuditFilter.builder(10).projectId(project).until(at(20))))
                .containsExactly(created);
        assertThat(list(AuditFilter.builder(10).projectId(project).actorName("bob")))
                .containsExactly(failed, denied);
        assertThat(list(AuditFilter.builder(10).projectId(project).actorId(annId)))
                .containsExactly(created);
        assertThat(list(AuditFilter.builder(10).projectId(project).action("deleteVm")))
                .containsExactly(denied);
        assertThat(list(AuditFilter.builder(10).projectId(project).targetName("web-1")))
                .containsExactly(denied, created);
        assertThat(list(AuditFilter.builder(10).targetId(web))).containsExactly(created);
        assertThat(list(AuditFilter.builder(10).projectId(project).outcome(AuditRecord.Outcome.FAILED)))
                .containsExactly(failed);
        assertThat(list(AuditFilter.builder(10).correlationId("c-" + project))).containsExactly(created);
        assertThat(list(AuditFilter.builder(10).projectId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    default void pagesFollowOneAnotherNewestFirstWithoutGapOrRepeat() {
        UUID project = UUID.randomUUID();
        List<AuditRecord> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            written.add(0, append(project, call("ann", "createVolume", AuditRecord.Outcome.OK), i));
        }

        List<AuditRecord> read = new ArrayList<>();
        long before = Long.MAX_VALUE;
        for (int page = 0; page < 10; page++) {
            List<AuditRecord> records =
                    list(AuditFilter.builder(3).projectId(project).before(before));
            read.addAll(records);
            if (records.size() < 3) {
                break;
            }
            before = records.getLast().id();
        }

        assertThat(read).containsExactlyElementsOf(written);
    }

    private List<AuditRecord> list(AuditFilter.Builder filter) {
        return store().audit().list(filter.build());
    }
}
