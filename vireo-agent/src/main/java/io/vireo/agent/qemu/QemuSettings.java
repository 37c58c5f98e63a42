package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the {@link QemuDriver}. Start from {@link #defaults(Path)} and change what differs.
 *
 * @param stateDir the agent's state directory; VMs live in {@code <stateDir>/qemu/<uuid>/}
 * @param qemuBinary {@code qemu-system-x86_64}, a path or a name looked up on {@code PATH}
 * @param qemuImgBinary {@code qemu-img}, a path or a name looked up on {@code PATH}
 * @param accel {@code auto}, {@code kvm} or {@code tcg}
 * @param kvmDevice the KVM device that {@code auto} checks first
 * @param kvmProbeGuest for {@code auto}: a directory with the Vireo test guest ({@code vmlinuz},
 *     {@code initramfs.cpio.gz}) that must boot under KVM before KVM is trusted; null to check only that KVM
 *     initialises
 * @param machineType QEMU's {@code -machine} type
 * @param kernelCommandLine {@code -append} for kernel-and-initrd guests
 * @param maxVcpus the most vCPUs one VM may have
 * @param qmpConnectTimeout connecting to a QMP socket, greeting and capabilities negotiation included
 * @param qmpCommandTimeout one QMP command
 * @param launchTimeout from starting QEMU until it has daemonised (its QMP socket then exists)
 * @param exitTimeout how long to wait for QEMU to exit after {@code quit}, and again after SIGKILL
 * @param kvmProbeTimeout how long the {@code auto} probe waits for the probe guest to boot under KVM
 * @param qemuImgTimeout one {@code qemu-img} run
 */
public record QemuSettings(
        Path stateDir,
        Path qemuBinary,
        Path qemuImgBinary,
        QemuAccel accel,
        Path kvmDevice,
        @Nullable Path kvmProbeGuest,
        String machineType,
        String kernelCommandLine,
        int maxVcpus,
        Duration qmpConnectTimeout,
        Duration qmpCommandTimeout,
        Duration launchTimeout,
        Duration exitTimeout,
        Duration kvmProbeTimeout,
        Duration qemuImgTimeout) {
    /** Longest UNIX socket path Linux accepts ({@code sun_path} is 108 bytes with the terminating NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public static final int DEFAULT_MAX_VCPUS = 64;
    public static final String DEFAULT_KERNEL_COMMAND_LINE = "console=ttyS0 panic=-1 quiet";

    private static final Pattern MACHINE_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public QemuSettings {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(qemuBinary, "qemuBinary is null");
        requireNonNull(qemuImgBinary, "qemuImgBinary is null");
        requireNonNull(accel, "accel is null");
        requireNonNull(kvmDevice, "kvmDevice is null");
        requireNonNull(machineType, "machineType is null");
        requireNonNull(kernelCommandLine, "kernelCommandLine is null");
        stateDir = stateDir.toAbsolutePath().normalize();
        if (!MACHINE_TYPE.matcher(machineType).matches()) {
            throw new IllegalArgumentException("machineType is not a QEMU machine type: " + machineType);
        }
        if (kernelCommandLine.chars().anyMatch(c -> c < ' ')) {
            throw new IllegalArgumentException("kernelCommandLine contains control characters");
        }
        if (maxVcpus < 1) {
            throw new IllegalArgumentException("maxVcpus must be at least 1: " + maxVcpus);
        }
        requirePositive(qmpConnectTimeout, "qmpConnectTimeout");
        requirePositive(qmpCommandTimeout, "qmpCommandTimeout");
        requirePositive(launchTimeout, "launchTimeout");
        requirePositive(exitTimeout, "exitTimeout");
        requirePositive(kvmProbeTimeout, "kvmProbeTimeout");
        requirePositive(qemuImgTimeout, "qemuImgTimeout");
        int socketPathBytes =
                VmPaths.of(stateDir, new UUID(0, 0)).qmpSocket().toString().getBytes(UTF_8).length;
        if (socketPathBytes > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("stateDir is too long: QMP socket paths under it would have "
                    + socketPathBytes + " bytes, UNIX sockets allow " + MAX_SOCKET_PATH_BYTES);
        }
    }

    /** Production defaults: binaries from {@code PATH}, {@code auto} acceleration without a probe guest. */
    public static QemuSettings defaults(Path stateDir) {
        return new QemuSettings(
                stateDir,
                Path.of("qemu-system-x86_64"),
                Path.of("qemu-img"),
                QemuAccel.AUTO,
                Path.of("/dev/kvm"),
                null,
                "pc",
                DEFAULT_KERNEL_COMMAND_LINE,
                DEFAULT_MAX_VCPUS,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    public Optional<Path> kvmProbeGuestDirectory() {
        return Optional.ofNullable(kvmProbeGuest);
    }

    public QemuSettings withAccel(QemuAccel value) {
        return new QemuSettings(
                stateDir,
                qemuBinary,
                qemuImgBinary,
                value,
                kvmDevice,
                kvmProbeGuest,
                machineType,
                kernelCommandLine,
                maxVcpus,
                qmpConnectTimeout,
                qmpCommandTimeout,
                launchTimeout,
                exitTimeout,
                kvmProbeTimeout,
                qemuImgTimeout);
    }

    public QemuSettings withKvm(Path device, @Nullable Path probeGuest) {
        return new QemuSettings(
                stateDir,
                qemuBinary,
                qemuImgBinary,
                accel,
                device,
                probeGuest,
                machineType,
                kernelCommandLine,
                maxVcpus,
                qmpConnectTimeout,
                qmpCommandTimeout,
                launchTimeout,
                exitTimeout,
                kvmProbeTimeout,
                qemuImgTimeout);
    }

    public QemuSettings withKernelCommandLine(String value) {
        return new QemuSettings(
                stateDir,
                qemuBinary,
                qemuImgBinary,
                accel,
                kvmDevice,
                kvmProbeGuest,
                machineType,
                value,
                maxVcpus,
                qmpConnectTimeout,
                qmpCommandTimeout,
                launchTimeout,
                exitTimeout,
                kvmProbeTimeout,
                qemuImgTimeout);
    }

    private static void requirePositive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
