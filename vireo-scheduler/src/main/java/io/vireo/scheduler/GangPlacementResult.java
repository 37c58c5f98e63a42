package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import java.util.List;
import java.util.Map;

/** The outcome of placing a gang all or nothing: a host for every member, or an explanation of why not. */
public sealed interface GangPlacementResult {
    /**
     * Every member placed: {@code hosts.get(i)} is member {@code i}'s host as the view had it before the gang, so its
     * resource generation is what a claim on it expects (a host may appear for several members).
     */
    record Placed(List<Host> hosts) implements GangPlacementResult {
        public Placed {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("a placed gang has at least one member");
            }
        }
    }

    /**
     * No member placed. {@code explanation} names the member that found no host, e.g. {@code "gang of 20 VMs, none
     * placed: member 16 found no valid host among 15 hosts: ServerGroupAffinity: 15 hosts (...)"}; {@code rejections}
     * counts that member's rejections per filter.
     */
    record NoValidHost(String explanation, Map<String, Integer> rejections) implements GangPlacementResult {
        public NoValidHost {
            requireNonNull(explanation, "explanation is null");
            rejections = Map.copyOf(rejections);
        }
    }
}
