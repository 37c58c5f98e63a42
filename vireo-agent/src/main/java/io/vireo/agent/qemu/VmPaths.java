package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The files of one QEMU VM, all in {@code <stateDir>/qemu/<uuid>/} except its data volumes. Every name is fixed or derived from the VM's UUID;
 * nothing a user chose (such as the VM's name) ever appears in a path.
 *
 * @param directory the VM's own directory
 */
public record VmPaths(Path directory) {
    /** The directory, under the agent's state directory, that holds one directory per VM. */
    public static final String ROOT = "qemu";
    /** The directory, under the agent's state directory, that holds the data volume files of every VM. */
    public static final String VOLUMES = "volumes";

    public VmPaths {
        requireNonNull(directory, "directory is null");
    }

    public static VmPaths of(Path stateDir, UUID vmId) {
        return new VmPaths(stateDir.resolve(ROOT).resolve(vmId.toString()));
    }

    /** QEMU's QMP socket (server side is QEMU; one client at a time). */
    public Path qmpSocket() {
        return directory.resolve("qmp.sock");
    }

    /** Written by QEMU's {@code -pidfile}. */
    public Path pidFile() {
        return directory.resolve("qemu.pid");
    }

    /** Everything the guest writes on its first serial port, appended across boots. */
    public Path serialLog() {
        return directory.resolve("serial.log");
    }

    /** The serial log of earlier runs, once {@link #serialLog()} grew too large. */
    public Path previousSerialLog() {
        return directory.resolve("serial.log.1");
    }

    /** The VM's spec and start time as JSON: the driver's own record of the VM. */
    public Path stateFile() {
        return directory.resolve("vm.json");
    }

    /** The VM's disk: a qcow2 overlay over the image, or a blank qcow2 for a kernel-and-initrd guest. */
    public Path disk() {
        return directory.resolve("disk0.qcow2");
    }

    /** A cloud-init NoCloud seed; attached read-only at start if present (see {@link CloudInitSeed}). */
    public Path seedIso() {
        return directory.resolve("seed.iso");
    }

    /**
     * A data volume's qcow2 file, {@code <stateDir>/volumes/<volume-uuid>.qcow2}: outside the VM's directory, so that a
     * volume kept after its VM is deleted stays where it was.
     */
    public Path volume(UUID volumeId) {
        Path qemu = requireNonNull(directory.getParent(), "a VM directory has a parent");
        return qemu.resolveSibling(VOLUMES).resolve(volumeId + ".qcow2");
    }

    /** What the last QEMU launch printed before it daemonised (errors such as a bad option). */
    public Path launchLog() {
        return directory.resolve("launch.log");
    }

    /**
     * Present while the VM waits here for an incoming migration, from before its QEMU starts until its memory has
     * arrived: a VM with it never ran here, and an agent that restarts meanwhile may discard it.
     */
    public Path incomingMarker() {
        return directory.resolve("incoming.json");
    }

    /** Written when the VM has migrated away: the VM shows as gone elsewhere and cannot be created here again. */
    public Path migratedMarker() {
        return directory.resolve("migrated.json");
    }
}
