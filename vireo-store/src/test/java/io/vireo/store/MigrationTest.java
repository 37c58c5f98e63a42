package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import io.vireo.model.DesiredState;
import io.vireo.model.HostState;
import io.vireo.model.ImageFormat;
import io.vireo.model.MigrationState;
import io.vireo.model.Project;
import io.vireo.model.Role;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import io.vireo.model.VmState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Flyway schema on an empty database: what V1 creates, what its constraints refuse, and that a re-run is a no-op. */
class MigrationTest {
    private static DatabaseSettings settings;
    private static Database database;

    @BeforeAll
    static void migrate() {
        settings = TestPostgres.freshDatabase("migration");
        database = Database.start(settings);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void createsEveryTableAndSeedsTheAdminProject() throws SQLException {
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .contains(
                        "projects",
                        "hosts",
                        "flavors",
                        "images",
                        "vms",
                        "allocations",
                        "events",
                        "server_groups",
                        "volumes",
                        "users",
                        "api_tokens",
                        "audit_log");
        assertThat(strings("SELECT id || ' ' || name FROM projects")).containsExactly(Project.ADMIN_ID + " admin");
        assertThat(strings("SELECT id || ' ' || name || ' ' || role || ' ' || (password_hash IS NULL) FROM users"))
                .containsExactly(User.ADMIN_ID + " admin ADMIN true");
        assertThat(strings("SELECT version || ' ' || success FROM flyway_schema_history WHERE version IS NOT NULL"))
                .contains(
                        "1 true", "2 true", "3 true", "4 true", "5 true", "6 true", "7 true", "8 true", "10 true",
                        "11 true", "12 true", "20 true", "21 true", "30 true", "31 true", "32 true", "33 true")
                .allMatch(row -> row.endsWith(" true"));
    }

    @Test
    void everyTableHasAnIdAndACreationTimeAndTenantTablesAProject() throws SQLException {
        for (String table : List.of(
                "projects",
                "hosts",
                "flavors",
                "images",
                "vms",
                "allocations",
                "events",
                "server_groups",
                "migrations",
                "vm_stats",
                "volumes",
                "users",
                "api_tokens")) {
            assertThat(columns(table)).as(table).contains("id", "created_at");
        }
        for (String table : List.of("images", "vms", "server_groups", "volumes")) {
            assertThat(columns(table)).as(table).contains("project_id");
        }
    }

    @Test
    void migratingAgainChangesNothing() throws SQLException {
        List<String> applied = strings("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL");
        try (Database again = Database.start(settings)) {
            assertThat(again.repositories().hosts().list()).isEmpty();
        }
        assertThat(strings("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"))
                .isEqualTo(applied);
    }

    /** The CHECK constraints spell the Java enums out; a constant added in Java must be added in a migration too. */
    @Test
    void enumChecksAllowEveryJavaConstant() throws SQLException {
        assertAllowed("hosts", "state", HostState.values());
        assertAllowed("vms", "state", VmState.values());
        assertAllowed("vms", "desired_state", DesiredState.values());
        assertAllowed("images", "format", ImageFormat.values());
        assertAllowed("server_groups", "policy", ServerGroupPolicy.values());
        assertAllowed("migrations", "state", MigrationState.values());
        assertAllowed("users", "role", Role.values());
        assertAllowed("users", "kind", UserKind.values());
        assertAllowed("audit_log", "actor_kind", ActorKind.values());
        assertAllowed("audit_log", "outcome", AuditRecord.Outcome.values());
    }

    private void assertAllowed(String table, String column, Enum<?>[] constants) throws SQLException {
        List<String> checks = strings("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'"
                + " AND conrelid = '" + table + "'::regclass AND pg_get_constraintdef(oid) LIKE '%(" + column
                + " = ANY%'");
        assertThat(checks).as(table + "." + column).hasSize(1);
        for (Enum<?> constant : constants) {
            assertThat(checks.get(0)).as(table + "." + column).contains("'" + constant.name() + "'::text");
        }
    }

    @Test
    void aHostCannotHoldMoreThanItsCapacityNorANegativeAmount() throws SQLException {
        execute("INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib,"
                + " capacity_disk_gib, driver) VALUES ('h', now(), 'UP', 4, 1024, 10, 'fake')");

        assertViolates("23514", "UPDATE hosts SET allocated_vcpus = 5 WHERE name = 'h'");
        assertViolates("23514", "UPDATE hosts SET allocated_memory_mib = 1025 WHERE name = 'h'");
        assertViolates("23514", "UPDATE hosts SET allocated_disk_gib = 11 WHERE name = 'h'");
        assertViolates("23514", "UPDATE hosts SET capacity_vcpus = -1, allocated_vcpus = -1 WHERE name = 'h'");
        assertViolates("23514", "UPDATE hosts SET state = 'LOST' WHERE name = 'h'");
        execute("UPDATE hosts SET allocated_vcpus = 4 WHERE name = 'h'");
        execute("DELETE FROM hosts");
    }

    /** V7: the CHECK constraints hold allocations within floor((total - reserved) * ratio), not the raw capacity. */
    @Test
    void aHostCannotHoldMoreThanItsEffectiveCapacity() throws SQLException {
        execute("INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib, capacity_disk_gib,"
                + " driver, reserved_memory_mib, vcpu_allocation_ratio, disk_allocation_ratio)"
                + " VALUES ('e', now(), 'UP', 4, 1024, 10, 'fake', 512, 4.0, 1.5)");

        assertThat(strings("SELECT effective_vcpus || '/' || effective_memory_mib || '/' || effective_disk_gib"
                        + " FROM hosts WHERE name = 'e'"))
                .containsExactly("16/512/15");
        execute("UPDATE hosts SET allocated_vcpus = 16, allocated_memory_mib = 512, allocated_disk_gib = 15"
                + " WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET allocated_vcpus = 17 WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET allocated_memory_mib = 513 WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET allocated_disk_gib = 16 WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET vcpu_allocation_ratio = 2 WHERE name = 'e'"); // 8 < 16 allocated
        assertViolates("23514", "UPDATE hosts SET reserved_memory_mib = 513 WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET vcpu_allocation_ratio = 0 WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET vcpu_allocation_ratio = 'NaN' WHERE name = 'e'");
        assertViolates("23514", "UPDATE hosts SET reserved_vcpus = -1 WHERE name = 'e'");
        execute("DELETE FROM hosts");
    }

    /**
     * V12: an allocation may exceed the effective capacity only in a class where the agent's own reservation is in
     * force (no operator's policy), and never the class's capacity without the reservation.
     */
    @Test
    void onlyAnAgentsOwnReservationMayLeaveAHostOverItsEffectiveCapacity() throws SQLException {
        execute("INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib, capacity_disk_gib,"
                + " driver, reserved_memory_mib, allocated_memory_mib) VALUES ('a', now(), 'UP', 4, 1024, 10, 'fake',"
                + " 512, 512)");

        assertViolates("23514", "UPDATE hosts SET reserved_memory_mib = 600 WHERE name = 'a'"); // a default's
        execute("UPDATE hosts SET agent_reserved_memory_mib = 600, reserved_memory_mib = 600 WHERE name = 'a'");
        assertThat(strings("SELECT effective_memory_mib || ' ' || allocated_memory_mib FROM hosts WHERE name = 'a'"))
                .containsExactly("424 512");
        assertViolates("23514", "UPDATE hosts SET allocated_memory_mib = 1025 WHERE name = 'a'");
        assertViolates("23514", "UPDATE hosts SET capacity_policy_overridden = true WHERE name = 'a'");
        assertViolates("23514", "UPDATE hosts SET allocated_vcpus = 5, agent_reserved_vcpus = 0 WHERE name = 'a'");
        assertViolates("23514", "UPDATE hosts SET agent_reserved_disk_gib = -1 WHERE name = 'a'");
        execute("DELETE FROM hosts");
    }

    /**
     * PostgreSQL's vireo_effective_capacity and Java's CapacityPolicy.effective are one definition: equal on seeded
     * random totals, reservations and ratios, including ratios with no exact binary form.
     */
    @Test
    void effectiveCapacityInSqlEqualsJava() throws SQLException {
        long seed = new java.util.SplittableRandom().nextLong();
        System.out.println("MigrationTest.effectiveCapacityInSqlEqualsJava seed " + seed);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] ratios = {0.1, 0.3, 0.7, 1.0, 1.1, 1.5, 2.2, 3.3, 4.0, 16.0, 1000.0};
        StringBuilder values = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long total = random.nextInt(4) == 0 ? random.nextLong(0, 200) : random.nextLong(0, 1L << 40);
            long reserved = random.nextInt(3) == 0 ? 0 : random.nextLong(0, Math.max(1, total / 2 + 3));
            double ratio =
                    random.nextBoolean() ? ratios[random.nextInt(ratios.length)] : random.nextInt(1, 100_000) / 1000.0;
            values.append(i == 0 ? "" : ", ")
                    .append("(")
                    .append(i)
                    .append(", ")
                    .append(total)
                    .append(", ")
                    .append(reserved)
                    .append(", ")
                    .append(Double.toString(ratio))
                    .append("::double precision)");
            expected.add(Long.toString(io.vireo.model.CapacityPolicy.effective(total, reserved, ratio)));
        }
        assertThat(strings("SELECT vireo_effective_capacity(t, r, q)::text FROM (VALUES " + values
                        + ") AS v(i, t, r, q)" + " ORDER BY i"))
                .as("seed %d", seed)
                .isEqualTo(expected);
    }

    @Test
    void aLiveVmNameIsUniqueInItsProjectButADeletedOneFreesIt() throws SQLException {
        UUID project = UUID.randomUUID();
        insertVm(project, "web", "DELETED", null);
        insertVm(project, "web", "DELETED", null);
        insertVm(project, "web", "RUNNING", "key-1");

        assertViolates("23505", vmInsert(project, "web", "PENDING", null));
        assertViolates("23505", vmInsert(project, "other", "PENDING", "key-1"));
        insertVm(UUID.randomUUID(), "web", "PENDING", "key-1");
        execute("DELETE FROM vms");
    }

    private void insertVm(UUID project, String name, String state, @Nullable String key) throws SQLException {
        execute(vmInsert(project, name, state, key));
    }

    private static String vmInsert(UUID project, String name, String state, @Nullable String key) {
        return "INSERT INTO vms (id, project_id, name, created_at, idempotency_key, flavor_id, image_id, vcpus,"
                + " memory_mib, disk_gib, generation, desired_state, reboot_count, epoch, state, observed_generation,"
                + " updated_at) VALUES ('" + UUID.randomUUID() + "', '" + project + "', '" + name + "', now(), "
                + (key == null ? "NULL" : "'" + key + "'") + ", gen_random_uuid(), gen_random_uuid(), 1, 512, 1, 1,"
                + " 'RUNNING', 0, 0, '" + state + "', 0, now())";
    }

    private void assertViolates(String sqlState, String sql) {
        assertThatThrownBy(() -> execute(sql))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> columns(String table) throws SQLException {
        return strings("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "'");
    }

    private List<String> strings(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                result.add(rows.getString(1));
            }
            return result;
        }
    }
}
