package io.vireo.agent.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the host's fence guard does to the QEMU driver's VMs (ADR 22): every {@code STATE_DIR/qemu/<uuid>/qemu.pid}
 * whose process runs and carries that VM's UUID on its command line gets SIGKILL, as {@link QemuProcesses#kill} does;
 * a process whose command line does not carry it (a recycled id) is never touched. Thread-safe (stateless).
 */
public final class QemuFencing {
    private QemuFencing() {}

    /** A VM's QEMU that was sent SIGKILL. */
    public record Killed(UUID vmId, long pid) {}

    /** Sends SIGKILL to every running QEMU of the VMs under {@code stateDir}; returns those it was sent to. */
    public static List<Killed> killAll(Path stateDir) {
        Path root = stateDir.resolve(VmPaths.ROOT);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Killed> killed = new ArrayList<>();
        try (Stream<Path> directories = Files.list(root)) {
            for (Path directory : directories.toList()) {
                UUID vmId = parse(directory.getFileName().toString());
                if (vmId == null) {
                    continue;
                }
                OptionalLong pid = QemuProcesses.readPid(new VmPaths(directory).pidFile());
                if (pid.isPresent() && QemuProcesses.isRunning(pid.getAsLong(), vmId)) {
                    QemuProcesses.kill(pid.getAsLong(), vmId);
                    killed.add(new Killed(vmId, pid.getAsLong()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return killed;
    }

    /** Whether the VM's QEMU still runs (for the guard's log and for tests). */
    public static boolean running(Path stateDir, UUID vmId) {
        VmPaths paths = VmPaths.of(stateDir, vmId);
        OptionalLong pid = QemuProcesses.readPid(paths.pidFile());
        return pid.isPresent() && QemuProcesses.isRunning(pid.getAsLong(), vmId);
    }

    private static @Nullable UUID parse(String name) {
        try {
            UUID id = UUID.fromString(name);
            return id.toString().equals(name) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
