package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.model.CapacityPolicy;
import java.time.Duration;

/**
 * Every limit of the control loops, named.
 *
 * @param placementBatchSize how many pending VMs one placement pass takes
 * @param claimRetries how many times a placement re-plans after losing a claim race before it gives up for this pass
 * @param specRetries how many times a user action is retried after a concurrent change to the same VM
 * @param placementPollInterval how often the placement loop looks for pending VMs when nobody wakes it
 * @param heartbeatInterval how often agents send heartbeats
 * @param heartbeatTimeout how long without a heartbeat before a host is marked DOWN
 * @param resyncInterval how often every connected agent is sent its full desired set again (level-triggered backstop)
 * @param startupGracePeriod how long after this server starts before it marks any host DOWN: agents that lost the
 *     previous server need time to find this one, and their silence while no server ran says nothing of them
 * @param capacityDefaults the reserved amounts and allocation ratios a host gets when it registers, unless an operator
 *     set its own ({@code PUT /hosts/{id}/capacity-policy}); {@link #defaults()} has none (no overcommit, nothing
 *     reserved), the server's options default to {@link CapacityPolicy#DEFAULTS}
 * @param placementLease how long a placement pass holds the pending VMs it took before another server replica may take
 *     them (a pass gives them back when it ends; the hold only matters when a replica dies mid-pass)
 * @param ha host leases, fencing and HA restarts
 */
public record ControllerSettings(
        int placementBatchSize,
        int claimRetries,
        int specRetries,
        Duration placementPollInterval,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration resyncInterval,
        Duration startupGracePeriod,
        CapacityPolicy capacityDefaults,
        Duration placementLease,
        HaSettings ha) {
    public ControllerSettings {
        requireNonNull(capacityDefaults, "capacityDefaults is null");
        requireNonNull(ha, "ha is null");
        if (placementBatchSize < 1 || claimRetries < 1 || specRetries < 1) {
            throw new IllegalArgumentException("batch sizes and retries must be positive");
        }
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout must exceed heartbeatInterval");
        }
        if (placementLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("placementLease must be at least a second");
        }
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(
                500,
                10,
                10,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                CapacityPolicy.NONE,
                Duration.ofSeconds(60),
                HaSettings.DEFAULTS);
    }

    public ControllerSettings withCapacityDefaults(CapacityPolicy newDefaults) {
        return new ControllerSettings(
                placementBatchSize,
                claimRetries,
                specRetries,
                placementPollInterval,
                heartbeatInterval,
                heartbeatTimeout,
                resyncInterval,
                startupGracePeriod,
                newDefaults,
                placementLease,
                ha);
    }

    public ControllerSettings withHa(HaSettings newHa) {
        return new ControllerSettings(
                placementBatchSize,
                claimRetries,
                specRetries,
                placementPollInterval,
                heartbeatInterval,
                heartbeatTimeout,
                resyncInterval,
                startupGracePeriod,
                capacityDefaults,
                placementLease,
                newHa);
    }
}
