package io.vireo.agent.fake;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Resources;
import java.time.Duration;

/**
 * How the fake driver behaves.
 *
 * @param bootDelay how long a started or rebooted VM shows {@code CREATING} before {@code RUNNING}, at least; zero
 *     boots at once
 * @param bootDelayMax the longest boot: each boot takes a delay drawn uniformly from {@code bootDelay} to this (from
 *     the driver's random generator); equal to {@code bootDelay}, every boot takes exactly that and draws nothing
 * @param failureRate probability, from 0 to 1, that a create, start, reboot, migration preparation or migration fails
 *     with a {@code HypervisorException}
 * @param capacity the host capacity the driver reports in its inventory
 * @param migrationTime how long a live migration takes on the source before the VM switches over; zero switches at
 *     once (the simulator models the time itself)
 */
public record FakeDriverSettings(
        Duration bootDelay, Duration bootDelayMax, double failureRate, Resources capacity, Duration migrationTime) {
    /** 128 vCPUs, 512 GiB of memory, 10,000 GiB of disk. */
    public static final Resources DEFAULT_CAPACITY = new Resources(128, 512L * 1024, 10_000);

    public static final FakeDriverSettings DEFAULTS = new FakeDriverSettings(Duration.ZERO, 0, DEFAULT_CAPACITY);

    public FakeDriverSettings {
        requireNonNull(bootDelay, "bootDelay is null");
        requireNonNull(bootDelayMax, "bootDelayMax is null");
        requireNonNull(migrationTime, "migrationTime is null");
        if (migrationTime.isNegative()) {
            throw new IllegalArgumentException("migrationTime must not be negative: " + migrationTime);
        }
        requireNonNull(capacity, "capacity is null");
        if (bootDelay.isNegative()) {
            throw new IllegalArgumentException("bootDelay must not be negative: " + bootDelay);
        }
        if (bootDelayMax.compareTo(bootDelay) < 0) {
            throw new IllegalArgumentException(
                    "bootDelayMax " + bootDelayMax + " must not be below bootDelay " + bootDelay);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be between 0 and 1: " + failureRate);
        }
    }

    /** Settings whose boots all take {@code bootDelay} and whose migrations switch over at once. */
    public FakeDriverSettings(Duration bootDelay, double failureRate, Resources capacity) {
        this(bootDelay, bootDelay, failureRate, capacity, Duration.ZERO);
    }

    /** These settings with each boot taking from {@code min} to {@code max}, uniformly. */
    public FakeDriverSettings withBootDelay(Duration min, Duration max) {
        return new FakeDriverSettings(min, max, failureRate, capacity, migrationTime);
    }
}
