package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditRecordTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static AuditRecord.Builder entry() {
        return AuditRecord.builder(AuditRecord.Actor.ANONYMOUS, "login", AuditRecord.Outcome.DENIED);
    }

    @ParameterizedTest
    @CsvSource({
        "200, OK",
        "201, OK",
        "202, OK",
        "204, OK",
        "401, DENIED",
        "403, DENIED",
        "429, DENIED",
        "400, FAILED",
        "404, FAILED",
        "409, FAILED",
        "413, FAILED",
        "422, FAILED",
        "500, FAILED",
        "503, FAILED"
    })
    void anHttpStatusFallsInOneOutcomeClass(int status, AuditRecord.Outcome outcome) {
        assertThat(AuditRecord.Outcome.ofStatus(status)).isEqualTo(outcome);
    }

    @Test
    void credentialsInTheDetailAreRedacted() {
        String apiToken = "vireo_" + "Ab9_-".repeat(9);
        String joinToken = JoinToken.PREFIX + "." + "ab".repeat(32) + ".c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

        AuditRecord record = entry().detail("sent " + apiToken + " and " + joinToken + " by mistake")
                .build(NOW);

        assertThat(record.detail()).isEqualTo("sent [redacted] and [redacted] by mistake");
    }

    @Test
    void textsAreCutAndKeptOnOneLine() {
        AuditRecord record = entry().target("user", null, "a\r\nb")
                .correlationId("c".repeat(500))
                .detail("x".repeat(5000))
                .build(NOW);

        assertThat(record.target().name()).isEqualTo("a??b");
        assertThat(record.correlationId()).hasSize(AuditRecord.MAX_TOKEN_LENGTH);
        assertThat(record.detail()).hasSize(AuditRecord.MAX_DETAIL_LENGTH);
        assertThat(record.withId(7))
                .isEqualTo(new AuditRecord(
                        7,
                        NOW,
                        record.actor(),
                        null,
                        "login",
                        record.target(),
                        AuditRecord.Outcome.DENIED,
                        null,
                        null,
                        record.correlationId(),
                        null,
                        record.detail()));
    }

    @Test
    void badRecordsAreRefused() {
        assertThatThrownBy(() -> AuditRecord.builder(AuditRecord.Actor.ANONYMOUS, "Create VM", AuditRecord.Outcome.OK)
                        .build(NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry().http(99, null).build(NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditRecord.Target(null, UUID.randomUUID(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditRecord.Actor(ActorKind.USER, null, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
