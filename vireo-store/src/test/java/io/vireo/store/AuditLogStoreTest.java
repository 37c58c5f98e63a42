package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log on a real PostgreSQL (V32): append-only whoever asks, the owning role included, and what the
 * application cuts and cleans fits the table's constraints. Filtering and pagination are the shared contract's
 * ({@code PostgresStoreContractTest}).
 */
class AuditLogStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static Database database;

    @BeforeAll
    static void start() {
        database = Database.start(TestPostgres.freshDatabase("audit_log"));
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static AuditRepository audit() {
        return database.repositories().audit();
    }

    private static AuditRecord append(String action) {
        return audit().append(AuditRecord.builder(
                        new AuditRecord.Actor(ActorKind.USER, UUID.randomUUID(), "ann"), action, AuditRecord.Outcome.OK)
                .target("vm", UUID.randomUUID(), "web-1")
                .http(202, null)
                .source("192.0.2.1")
                .build(NOW));
    }

    @Test
    void updatesDeletesAndTruncationAreRefusedEvenToTheOwningRole() throws SQLException {
        AuditRecord kept = append("createVm");

        assertRefused("UPDATE audit_log SET actor_name = 'mallory' WHERE id = " + kept.id(), "UPDATE");
        assertRefused("UPDATE audit_log SET detail = '' WHERE id < 0", "UPDATE");
        assertRefused("DELETE FROM audit_log WHERE id = " + kept.id(), "DELETE");
        assertRefused("DELETE FROM audit_log WHERE id < 0", "DELETE");
        assertRefused("TRUNCATE audit_log", "TRUNCATE");

        assertThat(audit().list(AuditFilter.builder(1)
                        .targetId(kept.target().id())
                        .build()))
                .containsExactly(kept);
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                var owner = statement.executeQuery(
                        "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'audit_log'")) {
            assertThat(owner.next()).isTrue();
            assertThat(owner.getBoolean(1))
                    .as("the test acts as the table's owner")
                    .isTrue();
        }
    }

    @Test
    void textsAreCutToTheTablesBoundsAndControlCharactersReplaced() {
        String long2000 = "x".repeat(2000);
        AuditRecord stored = audit().append(AuditRecord.builder(
                        new AuditRecord.Actor(ActorKind.HOST, null, "n".repeat(300) + "\n"),
                        "agent.enroll",
                        AuditRecord.Outcome.DENIED)
                .target("join-token", null, "t".repeat(300))
                .correlationId("c".repeat(200))
                .source("s".repeat(200))
                .detail("line one\nline two\u0000 " + long2000)
                .build(NOW));

        AuditRecord read = audit().list(
                        AuditFilter.builder(1).before(stored.id() + 1).build())
                .getFirst();
        assertThat(read).isEqualTo(stored);
        assertThat(read.actor().name()).hasSize(AuditRecord.MAX_NAME_LENGTH);
        assertThat(read.detail()).hasSize(AuditRecord.MAX_DETAIL_LENGTH).startsWith("line one?line two? x");
        assertThat(read.correlationId()).hasSize(AuditRecord.MAX_TOKEN_LENGTH);
    }

    private static void assertRefused(String sql, String operation) {
        assertThatThrownBy(() -> {
                    try (Connection connection = database.dataSource().getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the audit log is append-only: " + operation + " refused")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
}
