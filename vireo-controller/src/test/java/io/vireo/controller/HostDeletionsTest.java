package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.controller.port.HostDeletion;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an operator is told when a host cannot be deleted: what stands on it, then what to do. */
class HostDeletionsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private record Case(HostDeletion.Blocked blocked, String message) {}

    private static Host host(HostState state) {
        return new Host(
                UUID.fromString("00000000-0000-4000-8000-0000000000a1"),
                "node-2",
                T0,
                state,
                new Resources(8, 16_384, 200),
                Resources.ZERO,
                1,
                List.of(),
                "fake",
                T0,
                HostUsage.NONE,
                CapacityPolicy.NONE,
                false);
    }

    @Test
    void eachObstacleIsNamedWithWhatToDo() {
        List<Case> cases = List.of(
                new Case(
                        new HostDeletion.Blocked(host(HostState.SUSPECT), 0, List.of(), 0, false, 0, List.of()),
                        "host 'node-2' cannot be deleted: it is SUSPECT (its fence guard stopped renewing its lease)."
                                + " Wait until it is FENCED or UP again, or confirm it is off: vireo host evacuate"
                                + " node-2; then delete it again."),
                new Case(
                        new HostDeletion.Blocked(
                                host(HostState.MAINTENANCE),
                                7,
                                List.of("a", "b", "c", "d", "e"),
                                1,
                                true,
                                0,
                                List.of()),
                        "host 'node-2' cannot be deleted: 7 VMs placed on it (a, b, c, d, e and 2 more); 1 migration"
                                + " to or from it in flight; a drain of it is open. Drain it first: vireo host drain"
                                + " node-2 (stopped VMs are not moved: start or delete them); let the migrations end;"
                                + " wait until the drain has ended: vireo host drain node-2 --status; then delete it"
                                + " again."),
                new Case(
                        new HostDeletion.Blocked(host(HostState.DOWN), 0, List.of(), 2, false, 1, List.of("data1")),
                        "host 'node-2' cannot be deleted: 2 migrations to or from it in flight; 1 volume holding data"
                                + " on it (data1). Let the migrations end; delete those volumes, or attach them to VMs"
                                + " that the drain moves; then delete it again."));
        for (Case c : cases) {
            assertThat(HostDeletions.refusal(c.blocked())).isEqualTo(c.message());
        }
    }

    @Test
    void aBlockedDeletionMustHaveSomethingInTheWay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new HostDeletion.Blocked(host(HostState.FENCED), 0, List.of(), 0, false, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
