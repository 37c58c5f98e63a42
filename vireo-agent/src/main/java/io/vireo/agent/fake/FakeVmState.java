package io.vireo.agent.fake;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One fake VM as it is kept in memory and in {@code <stateDir>/fake-vms/<uuid>.json}. {@code startedAt} and
 * {@code bootCompletesAt} are set exactly when the guest is running or paused.
 */
record FakeVmState(
        UUID vmId,
        String name,
        int vcpus,
        long memoryMib,
        long diskGib,
        Power power,
        @Nullable Instant startedAt,
        @Nullable Instant bootCompletesAt) {

    /**
     * The power states a fake VM can be in; {@code CREATING} is derived from {@code bootCompletesAt}. {@code MIGRATED}
     * is the marker a VM leaves on the host it migrated away from: nothing runs, and it cannot be created here again
     * until it is deleted.
     */
    enum Power {
        STOPPED,
        RUNNING,
        PAUSED,
        MIGRATED
    }

    FakeVmState {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(name, "name is null");
        requireNonNull(power, "power is null");
        if ((power == Power.STOPPED || power == Power.MIGRATED) != (startedAt == null)
                || (startedAt == null) != (bootCompletesAt == null)) {
            throw new IllegalArgumentException("startedAt and bootCompletesAt must be set exactly when " + vmId
                    + " runs or is paused, but it is " + power);
        }
    }

    FakeVmState withPower(Power newPower, @Nullable Instant newStartedAt, @Nullable Instant newBootCompletesAt) {
        return new FakeVmState(vmId, name, vcpus, memoryMib, diskGib, newPower, newStartedAt, newBootCompletesAt);
    }
}
