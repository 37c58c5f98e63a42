package io.vireo.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.metrics.ScrapeCredential.Verdict;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScrapeCredentialTest {
    private static final String TOKEN = "vireo-metrics-token";

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("Bearer " + TOKEN, Verdict.ACCEPTED),
                Arguments.of("bearer " + TOKEN, Verdict.ACCEPTED),
                Arguments.of("Bearer " + TOKEN + "x", Verdict.REFUSED),
                Arguments.of(TOKEN, Verdict.REFUSED),
                Arguments.of("Basic " + TOKEN, Verdict.REFUSED),
                Arguments.of("Bearer ", Verdict.REFUSED),
                Arguments.of("Bearer " + "x".repeat(ScrapeCredential.MAX_TOKEN_LENGTH + 1), Verdict.REFUSED),
                Arguments.of(null, Verdict.REFUSED));
    }

    @ParameterizedTest
    @MethodSource("headers")
    void aScrapeIsAcceptedWithTheTokenWhoseHashTheServerSent(@Nullable String header, Verdict verdict) {
        ScrapeCredential credential = new ScrapeCredential();
        credential.accept(ScrapeCredential.sha256(TOKEN));

        assertThat(credential.check(header)).isEqualTo(verdict);
    }

    @ParameterizedTest
    @MethodSource("headers")
    void withoutAHashFromTheServerNothingIsAccepted(@Nullable String header, Verdict ignored) {
        ScrapeCredential credential = new ScrapeCredential();
        assertThat(credential.check(header)).isEqualTo(Verdict.NOT_YET_KNOWN);

        credential.accept(new byte[0]); // an older server sends none
        assertThat(credential.check(header)).isEqualTo(Verdict.NOT_YET_KNOWN);
    }
}
