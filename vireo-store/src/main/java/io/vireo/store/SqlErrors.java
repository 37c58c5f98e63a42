package io.vireo.store;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.QuotaRepository;
import io.vireo.model.QuotaResource;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Classifies PostgreSQL errors by SQLState and turns them into Vireo errors. */
final class SqlErrors {
    static final String UNIQUE_VIOLATION = "23505";
    static final String CHECK_VIOLATION = "23514";
    static final String FOREIGN_KEY_VIOLATION = "23503";
    /** Raised by {@code vireo_charge_quota} (V31): a charge past a project's limit; DETAIL 'resource limit used requested'. */
    static final String QUOTA_EXCEEDED = "VQ001";

    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    /** Errors after which the server or the connection is gone or overloaded, not the request wrong. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "57014", // query_canceled, by statement_timeout
            "53300", // too_many_connections
            "53100", // disk_full
            "53200" // out_of_memory
            );

    private SqlErrors() {}

    /** Explains an expected constraint violation as the port's error; null for anything else. */
    @FunctionalInterface
    interface Violations {
        @Nullable
        VireoException explain(SQLException e);

        Violations NONE = e -> null;

        static Violations unique(Supplier<VireoException> error) {
            return e -> UNIQUE_VIOLATION.equals(e.getSQLState()) ? error.get() : null;
        }

        static Violations foreignKey(Supplier<VireoException> error) {
            return e -> FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) ? error.get() : null;
        }

        /** This explanation, or else {@code other}'s. */
        default Violations or(Violations other) {
            return e -> {
                VireoException mine = explain(e);
                return mine != null ? mine : other.explain(e);
            };
        }
    }

    /** A transaction that failed so may simply be run again: PostgreSQL rolled it back and nothing was written. */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state);
    }

    static VireoException translate(SQLException e, Violations violations) {
        VireoException expected = violations.explain(e);
        if (expected != null) {
            expected.initCause(e);
            return expected;
        }
        String state = e.getSQLState();
        if (QUOTA_EXCEEDED.equals(state)) {
            return quotaExceeded(e);
        }
        if (unavailable(e)) {
            return new StoreException(ErrorCode.UNAVAILABLE, "the database is unavailable; try again", e);
        }
        if (UNIQUE_VIOLATION.equals(state)) {
            return new StoreException(ErrorCode.ALREADY_EXISTS, "already exists", e);
        }
        return new StoreException(ErrorCode.INTERNAL, "unexpected database error (SQLState " + state + ")", e);
    }

    /** The port's QUOTA_EXCEEDED error from the trigger's DETAIL. */
    private static VireoException quotaExceeded(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String detail = server == null ? null : server.getDetail();
        String[] fields = detail == null ? new String[0] : detail.split(" ");
        QuotaResource resource = fields.length != 4
                ? null
                : Arrays.stream(QuotaResource.values())
                        .filter(r -> r.column().equals(fields[0]))
                        .findFirst()
                        .orElse(null);
        if (resource == null) {
            return new StoreException(ErrorCode.INTERNAL, "quota check failed without its detail: " + detail, e);
        }
        VireoException error = QuotaRepository.exceeded(
                resource, Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
        error.initCause(e);
        return error;
    }

    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException
                || retryable(e)
                || (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)));
    }
}
