package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Live migration settings of the {@link QemuDriver}.
 *
 * @param listenAddress the IP address a destination listens on for the migration stream and the disk copy
 * @param firstPort the first TCP port a destination may listen on
 * @param lastPort the last such port (inclusive); each incoming migration takes two ports of the range
 * @param maxBandwidthBytesPerSecond QEMU's {@code max-bandwidth} for the memory migration
 * @param downtimeLimit QEMU's {@code downtime-limit}: the longest pause QEMU aims for at switchover
 * @param diskCopyTimeout how long the source waits for the disk copy to catch up before migrating memory
 * @param memoryTimeout how long the source waits for the memory migration to complete before cancelling it
 * @param incomingTimeout how long a prepared destination waits for its VM to arrive and run
 * @param pollInterval how often the source asks QEMU for the migration's progress
 * @param identity this host's certificate and key, with which both streams run over TLS (ADR 20); without it (an
 *     agent that has not enrolled) the driver refuses to migrate
 */
public record QemuMigrationSettings(
        String listenAddress,
        int firstPort,
        int lastPort,
        long maxBandwidthBytesPerSecond,
        Duration downtimeLimit,
        Duration diskCopyTimeout,
        Duration memoryTimeout,
        Duration incomingTimeout,
        Duration pollInterval,
        @Nullable MigrationIdentity identity) {
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_FIRST_PORT = 49152;
    public static final int DEFAULT_LAST_PORT = 49407;

    public QemuMigrationSettings {
        requireNonNull(listenAddress, "listenAddress is null");
        if (!listenAddress.matches("[0-9a-fA-F.:]{2,45}")) {
            throw new IllegalArgumentException("listenAddress must be an IP address: " + listenAddress);
        }
        if (firstPort < 1024 || lastPort > 65535 || lastPort < firstPort + 1) {
            throw new IllegalArgumentException(
                    "migration ports must be a range of at least two in 1024..65535: " + firstPort + ".." + lastPort);
        }
        if (maxBandwidthBytesPerSecond < 1) {
            throw new IllegalArgumentException("maxBandwidthBytesPerSecond must be positive");
        }
        requirePositive(downtimeLimit, "downtimeLimit");
        requirePositive(diskCopyTimeout, "diskCopyTimeout");
        requirePositive(memoryTimeout, "memoryTimeout");
        requirePositive(incomingTimeout, "incomingTimeout");
        requirePositive(pollInterval, "pollInterval");
    }

    /** Loopback, ports 49152-49407, QEMU's own defaults for bandwidth (128 MiB/s) and downtime (300 ms). */
    public static QemuMigrationSettings defaults() {
        return new QemuMigrationSettings(
                DEFAULT_LISTEN_ADDRESS,
                DEFAULT_FIRST_PORT,
                DEFAULT_LAST_PORT,
                128L * 1024 * 1024,
                Duration.ofMillis(300),
                Duration.ofMinutes(2),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                Duration.ofMillis(20),
                null);
    }

    public QemuMigrationSettings withListenAddress(String address) {
        return new QemuMigrationSettings(
                address,
                firstPort,
                lastPort,
                maxBandwidthBytesPerSecond,
                downtimeLimit,
                diskCopyTimeout,
                memoryTimeout,
                incomingTimeout,
                pollInterval,
                identity);
    }

    public QemuMigrationSettings withLimits(long bandwidthBytesPerSecond, Duration downtime) {
        return new QemuMigrationSettings(
                listenAddress,
                firstPort,
                lastPort,
                bandwidthBytesPerSecond,
                downtime,
                diskCopyTimeout,
                memoryTimeout,
                incomingTimeout,
                pollInterval,
                identity);
    }

    public QemuMigrationSettings withTimeouts(Duration memory, Duration incoming) {
        return new QemuMigrationSettings(
                listenAddress,
                firstPort,
                lastPort,
                maxBandwidthBytesPerSecond,
                downtimeLimit,
                diskCopyTimeout,
                memory,
                incoming,
                pollInterval,
                identity);
    }

    /** With this host's certificate and key for the streams' TLS. */
    public QemuMigrationSettings withIdentity(MigrationIdentity hostIdentity) {
        return new QemuMigrationSettings(
                listenAddress,
                firstPort,
                lastPort,
                maxBandwidthBytesPerSecond,
                downtimeLimit,
                diskCopyTimeout,
                memoryTimeout,
                incomingTimeout,
                pollInterval,
                hostIdentity);
    }

    /** The host's identity; fails if there is none (live migration runs over TLS only). */
    MigrationIdentity requireIdentity() {
        MigrationIdentity present = identity;
        if (present == null) {
            throw new HypervisorException("live migration needs this host's certificate (TLS for the streams between"
                    + " hosts): the driver was given none");
        }
        return present;
    }

    private static void requirePositive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
