package io.vireo.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.proto.agent.v1.Register;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricsAddressTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(9464, "10.0.0.7", "10.0.0.7:9464"),
                Arguments.of(9464, "fd00::7", "[fd00::7]:9464"),
                Arguments.of(0, "10.0.0.7", null), // serves no metrics
                Arguments.of(70_000, "10.0.0.7", null),
                Arguments.of(9464, null, null),
                Arguments.of(9464, "evil.example.org", null), // not what a stream's peer address looks like
                Arguments.of(9464, "10.0.0.7/metrics?", null));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anAgentIsScrapedAtTheAddressItsStreamComesFrom(
            int port, @Nullable String streamAddress, @Nullable String expected) {
        Register register = Register.newBuilder().setMetricsPort(port).build();

        assertThat(AgentStreamService.metricsAddress(register, streamAddress)).isEqualTo(expected);
    }
}
