package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.HostDeletion;
import io.vireo.controller.port.HostRevocation;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An operator deletes a host that is empty and out of service (ADR 26): the store decides and marks the deletion
 * atomically with respect to claims on the host ({@link io.vireo.controller.port.HostRepository#delete}), then the
 * host's certificates are revoked and its agent's stream ended ({@link HostRevocation}), and a {@code HostDeleted}
 * event is written under the request's correlation id. A refusal is CONFLICT, changing nothing, with a message that
 * says what to do first.
 *
 * <p>The revocation follows the deletion's commit, not the other way round: a refusal must leave the host's agent
 * connected. Between the two, the deleted host's agent can no longer register (its id is deleted), its heartbeats are
 * dropped and no VM can be claimed onto it.
 *
 * <p>Thread-safe: the state is in the store.
 */
public final class HostDeletions {
    private final Repositories store;
    private final HostRevocation revocation;
    private final EventLog events;
    private final Clock clock;

    public HostDeletions(Repositories store, HostRevocation revocation, EventLog events, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.revocation = requireNonNull(revocation, "revocation is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Deletes the host; returns it as it was. NOT_FOUND for an unknown host or one deleted already; CONFLICT, changing
     * nothing, while anything stands on it or it is UP or SUSPECT ({@link HostDeletion}).
     */
    public Host delete(UUID hostId, RequestContext context) {
        return switch (store.hosts().delete(hostId, clock.instant())) {
            case HostDeletion.NotFound notFound -> throw VireoException.notFound("host", hostId.toString());
            case HostDeletion.Blocked blocked ->
                throw new VireoException(ErrorCode.CONFLICT, refusal(blocked), details(blocked));
            case HostDeletion.Deleted deleted -> {
                int revoked = revocation.revoke(hostId);
                events.host(
                        deleted.host(),
                        "HostDeleted",
                        "by an operator, " + deleted.host().state() + " and empty; " + count(revoked, "certificate")
                                + " revoked; the name can be enrolled again as a new host",
                        context.correlationId());
                yield deleted.host();
            }
        };
    }

    /** What stands on the host, then what the operator does about it, for the CONFLICT's message. */
    static String refusal(HostDeletion.Blocked blocked) {
        String name = blocked.host().name();
        List<String> reasons = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        if (blocked.host().state() == HostState.UP) {
            reasons.add("it is UP (in service)");
            if (blocked.vms() == 0) {
                advice.add("take it out of service: vireo host maintenance " + name + " on");
            }
        } else if (blocked.host().state() == HostState.SUSPECT) {
            reasons.add("it is SUSPECT (its fence guard stopped renewing its lease)");
            advice.add("wait until it is FENCED or UP again, or confirm it is off: vireo host evacuate " + name);
        }
        if (blocked.vms() > 0) {
            reasons.add(count(blocked.vms(), "VM") + " placed on it (" + names(blocked.vmNames(), blocked.vms()) + ")");
            advice.add(
                    "drain it first: vireo host drain " + name + " (stopped VMs are not moved: start or delete them)");
        }
        if (blocked.migrations() > 0) {
            reasons.add(count(blocked.migrations(), "migration") + " to or from it in flight");
            advice.add("let the migrations end");
        }
        if (blocked.draining()) {
            reasons.add("a drain of it is open");
            advice.add("wait until the drain has ended: vireo host drain " + name + " --status");
        }
        if (blocked.volumes() > 0) {
            reasons.add(count(blocked.volumes(), "volume") + " holding data on it ("
                    + names(blocked.volumeNames(), blocked.volumes()) + ")");
            advice.add("delete those volumes, or attach them to VMs that the drain moves");
        }
        return "host '" + name + "' cannot be deleted: " + String.join("; ", reasons) + ". "
                + capitalised(String.join("; ", advice)) + "; then delete it again.";
    }

    private static Map<String, Object> details(HostDeletion.Blocked blocked) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("host", blocked.host().name());
        details.put("state", blocked.host().state().name());
        details.put("vms", blocked.vms());
        details.put("migrations", blocked.migrations());
        details.put("draining", blocked.draining());
        details.put("volumes", blocked.volumes());
        return details;
    }

    private static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String names(List<String> first, long all) {
        return String.join(", ", first) + (all > first.size() ? " and " + (all - first.size()) + " more" : "");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
