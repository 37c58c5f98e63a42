package io.vireo.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which peers' answers count as "lost the control plane too": only fresh "yes" answers of listed peers. */
class PeerAnswersTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FRESHNESS = Duration.ofMillis(1500);
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final UUID C = new UUID(0, 3);

    /** One answer: who, what, how many milliseconds after T0. */
    record Answer(UUID peer, boolean lost, long atMillis) {}

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no answer counts as not lost", List.of(), List.of(A, B, C), 2_000, 0),
                Arguments.of(
                        "fresh yes answers count",
                        List.of(new Answer(A, true, 1_000), new Answer(B, true, 1_500)),
                        List.of(A, B, C),
                        2_000,
                        2),
                Arguments.of(
                        "a no does not count",
                        List.of(new Answer(A, true, 1_000), new Answer(B, false, 1_500)),
                        List.of(A, B, C),
                        2_000,
                        1),
                Arguments.of(
                        "an answer older than the freshness does not count",
                        List.of(new Answer(A, true, 400), new Answer(B, true, 600)),
                        List.of(A, B),
                        2_000,
                        1),
                Arguments.of(
                        "a later no replaces a yes",
                        List.of(new Answer(A, true, 1_000), new Answer(A, false, 1_200)),
                        List.of(A),
                        2_000,
                        0),
                Arguments.of(
                        "an earlier answer arriving late does not replace a later one",
                        List.of(new Answer(A, false, 1_200), new Answer(A, true, 1_000)),
                        List.of(A),
                        2_000,
                        0),
                Arguments.of(
                        "a peer no longer listed does not count",
                        List.of(new Answer(A, true, 1_000), new Answer(C, true, 1_000)),
                        List.of(A, B),
                        2_000,
                        1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countsLostPeers(String name, List<Answer> answers, List<UUID> listed, long nowMillis, int expected) {
        PeerAnswers peers = new PeerAnswers(FRESHNESS);
        for (Answer answer : answers) {
            peers.answered(answer.peer(), answer.lost(), T0.plusMillis(answer.atMillis()));
        }
        assertThat(peers.lost(listed, T0.plusMillis(nowMillis))).isEqualTo(expected);
    }

    @Test
    void retainForgetsPeersNoLongerListed() {
        PeerAnswers peers = new PeerAnswers(FRESHNESS);
        peers.answered(A, true, T0);
        peers.answered(B, true, T0);
        peers.retain(List.of(B));
        assertThat(peers.lost(List.of(A, B), T0)).isEqualTo(1);
    }
}
