package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hard rule of a server group, as every claim checks it: {@link ServerGroup#hardRuleBrokenAt}. */
class ServerGroupTest {
    private static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-4000-8000-00000000000c");

    private static ServerGroup group(ServerGroupPolicy policy, int maxPerHost) {
        return new ServerGroup(UUID.randomUUID(), Project.ADMIN_ID, "g", Instant.EPOCH, policy, maxPerHost);
    }

    static Stream<Arguments> cases() {
        ServerGroup anti1 = group(ServerGroupPolicy.ANTI_AFFINITY, 1);
        ServerGroup anti2 = group(ServerGroupPolicy.ANTI_AFFINITY, 2);
        ServerGroup together = group(ServerGroupPolicy.AFFINITY, 1);
        ServerGroup softAnti = group(ServerGroupPolicy.SOFT_ANTI_AFFINITY, 1);
        ServerGroup softTogether = group(ServerGroupPolicy.SOFT_AFFINITY, 1);
        return Stream.of(
                // group, other members' hosts, placements, broken at
                Arguments.of("first member", anti1, List.of(), List.of(A), null),
                Arguments.of("another host", anti1, List.of(Set.of(B)), List.of(A), null),
                Arguments.of("a member there", anti1, List.of(Set.of(A)), List.of(A), A),
                Arguments.of("unplaced members count nowhere", anti1, List.of(Set.of(), Set.of()), List.of(A), null),
                Arguments.of("a member on its way there", anti1, List.of(Set.of(B, A)), List.of(A), A),
                Arguments.of("a member leaving for elsewhere", anti1, List.of(Set.of(B, C)), List.of(A), null),
                Arguments.of("room for a second", anti2, List.of(Set.of(A)), List.of(A), null),
                Arguments.of("not for a third", anti2, List.of(Set.of(A), Set.of(A)), List.of(A), A),
                Arguments.of("a gang's own members count", anti1, List.of(), List.of(A, B, A), A),
                Arguments.of("a gang on distinct hosts", anti1, List.of(Set.of(C)), List.of(A, B), null),
                Arguments.of("the first crowded host", anti1, List.of(Set.of(B)), List.of(A, B), B),
                Arguments.of("two per host in a gang", anti2, List.of(Set.of(A)), List.of(B, B, A), null),
                Arguments.of("affinity: first member", together, List.of(), List.of(A), null),
                Arguments.of("affinity: with the others", together, List.of(Set.of(A), Set.of(A)), List.of(A), null),
                Arguments.of("affinity: others elsewhere", together, List.of(Set.of(B)), List.of(A), A),
                Arguments.of("affinity: a member on its way elsewhere", together, List.of(Set.of(A, B)), List.of(A), A),
                Arguments.of("affinity: a gang split", together, List.of(), List.of(A, B, A), A),
                Arguments.of("affinity: a gang together", together, List.of(Set.of()), List.of(B, B), null),
                Arguments.of("soft anti-affinity is the scheduler's", softAnti, List.of(Set.of(A)), List.of(A), null),
                Arguments.of("soft affinity is the scheduler's", softTogether, List.of(Set.of(B)), List.of(A), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hardRule(
            String name, ServerGroup group, List<Set<UUID>> others, List<UUID> placements, @Nullable UUID brokenAt) {
        assertThat(group.hardRuleBrokenAt(others, placements)).isEqualTo(Optional.ofNullable(brokenAt));
    }
}
