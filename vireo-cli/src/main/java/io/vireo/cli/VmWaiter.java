package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.cli.client.ApiException;
import io.vireo.cli.client.CliErrorCode;
import io.vireo.cli.client.CliException;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.client.VmView;
import io.vireo.cli.client.WireFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Implements {@code --wait}: polls a VM until it has settled in the state an action asked for.
 *
 * <p>A VM has settled when its host's agent has applied the spec the action wrote ({@code observedGeneration} has
 * reached the {@code generation} the action returned) and its state is the target. Without the generation check a
 * {@code reboot} of a running VM would look finished before it started. {@code ERROR} fails the wait at once when it
 * is current: after that point, or on a VM without a host (placement failed; no agent will ever observe it). A VM in
 * any other state is waited for until the deadline. Connection failures while polling are tolerated until the
 * deadline (the server may be restarting). Not thread-safe.
 */
final class VmWaiter {
    static final String ERROR = "ERROR";
    static final String DELETED = "DELETED";
    private static final Set<String> RETRIED_WHILE_POLLING =
            Set.of(CliErrorCode.UNREACHABLE.name(), CliErrorCode.CONNECTION_FAILED.name(), CliErrorCode.TIMEOUT.name());

    private final VireoClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    VmWaiter(VireoClient client, Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.client = requireNonNull(client, "client is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    }

    /** What one look at a VM says about the wait. */
    enum Outcome {
        REACHED,
        FAILED,
        PENDING
    }

    record Check(Outcome outcome, String detail) {}

    /**
     * Judges one look at the VM.
     *
     * @param target the state the action asked for: RUNNING, STOPPED or DELETED
     * @param targetGeneration the generation the action's answer carried, or null when the server sent none
     */
    static Check check(VmView vm, String target, @Nullable Long targetGeneration) {
        String state = Objects.requireNonNullElse(vm.state(), "UNKNOWN");
        boolean observed = targetGeneration == null
                || vm.observedGeneration() == null
                || vm.observedGeneration() >= targetGeneration;
        if (state.equals(target) && (observed || target.equals(DELETED))) {
            return new Check(Outcome.REACHED, state);
        }
        if (state.equals(DELETED)) {
            return new Check(Outcome.FAILED, "vm '" + vm.name() + "' was deleted");
        }
        boolean unplaced = vm.host() == null && vm.hostId() == null;
        if (state.equals(ERROR) && (observed || unplaced)) {
            String reason = vm.stateReason() == null ? "no reason given" : vm.stateReason();
            return new Check(Outcome.FAILED, "vm '" + vm.name() + "' is in ERROR: " + reason);
        }
        if (!observed) {
            return new Check(Outcome.PENDING, state + ", generation " + targetGeneration + " not yet observed");
        }
        return new Check(Outcome.PENDING, state);
    }

    /**
     * Polls until the VM reaches {@code target} (RUNNING, STOPPED or DELETED) and returns it as last seen; a VM that
     * is gone (404) counts as DELETED and is returned as last seen with its state set so.
     *
     * @param accepted the VM as the action's answer showed it
     * @throws CliException with {@link CliErrorCode#WAIT_FAILED} when the VM fails or the timeout passes
     */
    JsonNode await(JsonNode accepted, String target, Duration timeout) {
        VmView first = WireFormat.read(accepted, VmView.class);
        String key = first.id() != null ? first.id() : first.name();
        Instant deadline = clock.instant().plus(timeout);
        JsonNode last = accepted;
        while (true) {
            Check check = check(WireFormat.read(last, VmView.class), target, first.generation());
            switch (check.outcome()) {
                case REACHED -> {
                    return last;
                }
                case FAILED -> throw new CliException(CliErrorCode.WAIT_FAILED, check.detail());
                case PENDING -> pause(deadline, first.name(), target, timeout, check.detail());
            }
            Optional<JsonNode> now;
            try {
                now = client.findVm(key);
            } catch (CliException e) {
                if (e instanceof ApiException || !RETRIED_WHILE_POLLING.contains(e.code())) {
                    throw e;
                }
                continue; // the server may be restarting; the deadline bounds the retries
            }
            if (now.isEmpty()) {
                if (!target.equals(DELETED)) {
                    throw new CliException(CliErrorCode.WAIT_FAILED, "vm '" + first.name() + "' no longer exists");
                }
                return last.isObject() ? ((ObjectNode) last.deepCopy()).put("state", DELETED) : last;
            }
            last = now.get();
        }
    }

    private void pause(Instant deadline, String name, String target, Duration timeout, String state) {
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
            throw new CliException(
                    CliErrorCode.WAIT_FAILED,
                    "timed out after " + DurationConverter.format(timeout) + " waiting for vm '" + name + "' to be "
                            + target + " (last state: " + state + ")");
        }
        Duration remaining = Duration.between(now, deadline);
        try {
            sleeper.sleep(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliErrorCode.INTERRUPTED, "interrupted while waiting for vm '" + name + "'", e);
        }
    }
}
