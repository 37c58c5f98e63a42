package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What {@link ClaimRepository#claim} did. An {@link ClaimRequest.Atomicity#ALL_OR_NOTHING all-or-nothing} request is
 * {@link Claimed} or one {@link Refused} reason, having changed nothing; a {@link ClaimRequest.Atomicity#PER_HOST
 * per-host} one is {@link Claimed} when every host was, else {@link PerHost}.
 *
 * <p>When a request could be refused for several reasons, a VM that cannot take its transition wins (there is nothing
 * to re-plan), then a host that changed, then a group's rule.
 */
public sealed interface ClaimResult {
    /**
     * Every host of the request was claimed. {@code hosts} are as the store wrote them (allocation added, generation
     * up by one), in the order of the request's host claims: what a scheduler's view of them should now hold.
     */
    record Claimed(List<Host> hosts) implements ClaimResult {
        public Claimed {
            hosts = List.copyOf(hosts);
        }
    }

    /** Why nothing of a request, or of one host of a per-host request, was claimed. */
    sealed interface Refused extends ClaimResult permits HostChanged, VmChanged, GroupRuleBroken {}

    /** The host is unknown, its resource generation moved, or the demand no longer fits it: re-plan on a fresh view. */
    record HostChanged(UUID hostId) implements Refused {
        public HostChanged {
            requireNonNull(hostId, "hostId is null");
        }
    }

    /**
     * The VM's transition no longer applies (a placed, deleted or deleting VM for a placement; a VM that moved, is
     * being deleted or migrates already for a migration): nothing to re-plan for it.
     */
    record VmChanged(UUID vmId) implements Refused {
        public VmChanged {
            requireNonNull(vmId, "vmId is null");
        }
    }

    /**
     * Placing the group's members on {@code hostId} would break the group's hard rule (anti-affinity: {@code
     * maxPerHost} members there or on their way already; affinity: members elsewhere): re-plan with the group's
     * current members.
     */
    record GroupRuleBroken(UUID groupId, UUID hostId) implements Refused {
        public GroupRuleBroken {
            requireNonNull(groupId, "groupId is null");
            requireNonNull(hostId, "hostId is null");
        }
    }

    /**
     * A per-host request of which at least one host was refused: the hosts claimed (as written, in request order; maybe
     * none) and why each other host was not, by host id.
     */
    record PerHost(List<Host> claimed, Map<UUID, Refused> refused) implements ClaimResult {
        public PerHost {
            claimed = List.copyOf(claimed);
            refused = Map.copyOf(refused);
            if (refused.isEmpty()) {
                throw new IllegalArgumentException("a per-host result refuses at least one host; else it is Claimed");
            }
        }
    }

    /** The hosts this claim wrote, as written: every host, some, or none. */
    default List<Host> claimedHosts() {
        return switch (this) {
            case Claimed claimed -> claimed.hosts();
            case PerHost perHost -> perHost.claimed();
            case Refused refused -> List.of();
        };
    }
}
