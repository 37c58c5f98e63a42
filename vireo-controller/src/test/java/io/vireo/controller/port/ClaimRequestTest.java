package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.controller.port.ClaimRequest.HostClaim;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shape of a claim: hosts and their demands follow from the transitions, and nothing is asked twice. */
class ClaimRequestTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Resources SMALL = new Resources(1, 1024, 10);
    private static final Resources LARGE = new Resources(4, 8192, 40);
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();

    private static VmTransition place(UUID hostId, Resources resources) {
        return new VmTransition.Place(UUID.randomUUID(), hostId, resources);
    }

    @Test
    void eachHostIsClaimedOnceWithTheSumOfItsTransitions() {
        VmTransition first = place(B, SMALL);
        VmTransition second = place(A, LARGE);
        VmTransition third = place(B, LARGE);

        ClaimRequest request = ClaimRequest.perHost(NOW)
                .add(first, 7)
                .add(second, 3)
                .add(third, 7)
                .build();

        assertThat(request.hosts()).containsExactly(new HostClaim(B, 7, SMALL.plus(LARGE)), new HostClaim(A, 3, LARGE));
        assertThat(request.transitions()).containsExactly(first, second, third);
        assertThat(request.transitionsOn(B)).containsExactly(first, third);
        assertThat(request.atomicity()).isEqualTo(ClaimRequest.Atomicity.PER_HOST);
        assertThat(ClaimRequest.of(first, 7, NOW).atomicity()).isEqualTo(ClaimRequest.Atomicity.ALL_OR_NOTHING);
    }

    @Test
    void aMigrationClaimsItsDestinationWithWhatItHolds() {
        Migration migration = new Migration(
                UUID.randomUUID(),
                UUID.randomUUID(),
                A,
                B,
                MigrationState.PREPARING,
                LARGE,
                3,
                null,
                null,
                NOW,
                null,
                null);

        ClaimRequest request = ClaimRequest.of(new VmTransition.HoldForMigration(migration), 9, NOW);

        assertThat(request.hosts()).containsExactly(new HostClaim(B, 9, LARGE));
        assertThat(request.transitions().get(0).vmId()).isEqualTo(migration.vmId());
    }

    @Test
    void oneHostSeenAtTwoGenerationsIsRefused() {
        ClaimRequest.Builder builder = ClaimRequest.allOrNothing(NOW).add(place(A, SMALL), 4);

        assertThatThrownBy(() -> builder.add(place(A, SMALL), 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestMustBeConsistent() {
        VmTransition onA = place(A, SMALL);
        List<HostClaim> right = List.of(new HostClaim(A, 1, SMALL));
        ClaimRequest.Atomicity all = ClaimRequest.Atomicity.ALL_OR_NOTHING;

        assertThat(new ClaimRequest(right, List.of(onA), all, NOW).hosts()).isEqualTo(right);
        assertThatThrownBy(() -> new ClaimRequest(List.of(), List.of(), all, NOW))
                .as("nothing to claim")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClaimRequest(right, List.of(onA, onA), all, NOW))
                .as("a VM twice")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClaimRequest(List.of(new HostClaim(A, 1, LARGE)), List.of(onA), all, NOW))
                .as("a demand that is not the transitions' sum")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClaimRequest(List.of(), List.of(onA), all, NOW))
                .as("a transition's host not claimed")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClaimRequest(
                        List.of(new HostClaim(A, 1, SMALL), new HostClaim(B, 1, SMALL)), List.of(onA), all, NOW))
                .as("a host claimed with no transition")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClaimRequest(
                        List.of(new HostClaim(A, 1, SMALL), new HostClaim(A, 1, SMALL)), List.of(onA), all, NOW))
                .as("a host claimed twice")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPerHostResultRefusesSomething() {
        assertThatThrownBy(() -> new ClaimResult.PerHost(List.of(), java.util.Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
