package io.vireo.agent.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility with the agent tests' timeout and a short poll interval (the default waits at least 100 ms). */
public final class Waits {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    private Waits() {}

    public static ConditionFactory await() {
        return Awaitility.await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL);
    }
}
