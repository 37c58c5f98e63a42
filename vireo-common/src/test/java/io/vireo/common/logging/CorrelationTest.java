package io.vireo.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationTest {
    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void theIdIsInTheMdcWhileTheWorkRunsOnly() {
        String seen = Correlation.call("corr-1", () -> MDC.get(Correlation.KEY));

        assertThat(seen).isEqualTo("corr-1");
        assertThat(Correlation.current()).isNull();
    }

    @Test
    void scopesNestAndRestoreTheOuterId() {
        try (Correlation.Scope outer = Correlation.open("outer")) {
            Correlation.run("inner", () -> assertThat(Correlation.current()).isEqualTo("inner"));
            assertThat(Correlation.current()).isEqualTo("outer");
        }
        assertThat(Correlation.current()).isNull();
    }

    @Test
    void aNullIdKeepsTheCurrentOne() {
        Correlation.run(
                "request",
                () -> Correlation.run(
                        null, () -> assertThat(Correlation.current()).isEqualTo("request")));
    }

    @Test
    void theIdIsClearedWhenTheWorkThrows() {
        assertThatThrownBy(() -> Correlation.run("corr-2", () -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");

        assertThat(Correlation.current()).isNull();
    }
}
