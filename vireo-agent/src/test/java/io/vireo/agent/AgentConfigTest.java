package io.vireo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentConfigTest {
    private static AgentConfig.Builder builder() {
        return AgentConfig.builder(
                "vireo.example.com:9443", "node-1", Path.of("/var/lib/vireo"), Path.of("/etc/token"));
    }

    @Test
    void defaultsSuitAProductionHost() {
        AgentConfig config = builder().build();

        assertThat(config.serverHost()).isEqualTo("vireo.example.com");
        assertThat(config.serverPort()).isEqualTo(9443);
        assertThat(config.driverName()).isEqualTo("fake");
        assertThat(config.fakeCapacity()).isEqualTo(new Resources(128, 512 * 1024, 10_000));
        assertThat(config.reconcilerSettings().maxConcurrentOperations()).isEqualTo(16);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void parsesBracketedIpv6Addresses() {
        AgentConfig config = builder().serverAddress("[::1]:7000").build();

        assertThat(config.serverHost()).isEqualTo("::1");
        assertThat(config.serverPort()).isEqualTo(7000);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                invalid("no port", b -> b.serverAddress("vireo.example.com")),
                invalid("port zero", b -> b.serverAddress("vireo:0")),
                invalid("port too high", b -> b.serverAddress("vireo:65536")),
                invalid("port not a number", b -> b.serverAddress("vireo:https")),
                invalid("blank name", b -> b.name(" ")),
                invalid("name not a DNS label", b -> b.name("Node_1.example.com")),
                invalid("blank driver", b -> b.driverName("")),
                invalid("zero heartbeat", b -> b.heartbeatFallback(Duration.ZERO)),
                invalid("backoff max below min", b -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))),
                invalid("no operations allowed", b -> b.maxConcurrentOperations(0)),
                invalid("negative grace period", b -> b.stopGracePeriod(Duration.ofSeconds(-1))),
                invalid("zero rescan interval", b -> b.rescanInterval(Duration.ZERO)),
                invalid("failure rate above one", b -> b.fakeFailureRate(1.5)),
                invalid("failure rate not a number", b -> b.fakeFailureRate(Double.NaN)),
                invalid("negative boot delay", b -> b.fakeBootDelay(Duration.ofMillis(-1))),
                invalid(
                        "boot delay range ends before it starts",
                        b -> b.fakeBootDelay(Duration.ofMillis(500), Duration.ofMillis(100))),
                invalid("empty event queue", b -> b.eventQueueCapacity(0)),
                invalid("zero message size", b -> b.maxMessageBytes(0)));
    }

    private static Arguments invalid(String name, UnaryOperator<AgentConfig.Builder> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidSettings(String name, UnaryOperator<AgentConfig.Builder> change) {
        assertThatThrownBy(() -> change.apply(builder()).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
