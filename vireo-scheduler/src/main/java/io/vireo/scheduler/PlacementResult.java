package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import java.util.Map;

/** The outcome of one placement decision: a host, or an explanation of why none fits. */
public sealed interface PlacementResult {
    /** {@code host} is the snapshot the decision was made on: its resource generation is what the claim expects. */
    record Placed(Host host) implements PlacementResult {
        public Placed {
            requireNonNull(host, "host is null");
        }
    }

    /**
     * No host fits. {@code rejections} counts, per filter name, the hosts it rejected; {@code explanation} says the
     * same for a person, e.g. {@code "3 hosts: ResourceFit rejected 2 (MEMORY_MIB short), HostState rejected 1"}.
     */
    record NoValidHost(String explanation, Map<String, Integer> rejections) implements PlacementResult {
        public NoValidHost {
            requireNonNull(explanation, "explanation is null");
            rejections = Map.copyOf(rejections);
        }
    }
}
