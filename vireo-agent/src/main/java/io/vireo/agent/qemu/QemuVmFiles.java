package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a VM's QEMU is made of on this host: its directory, its disk (a qcow2 overlay over the cached image, or a blank
 * disk for a kernel-and-initrd guest) and its command line, with its NIC as the host's {@link VmNetwork} plugs it.
 * Used by {@link QemuDriver} under the VM's lock. Thread-safe (holds only immutable collaborators).
 */
final class QemuVmFiles {
    /** At a start, a serial log larger than this is moved to {@code serial.log.1} (replacing the older one). */
    static final long MAX_SERIAL_LOG_BYTES = 8L * 1024 * 1024;

    private final QemuSettings settings;
    private final QemuAccel accel;
    private final ImageStore images;
    private final QemuImg qemuImg;
    private final VmNetwork network;

    QemuVmFiles(QemuSettings settings, QemuAccel accel, ImageStore images, QemuImg qemuImg, VmNetwork network) {
        this.settings = requireNonNull(settings, "settings is null");
        this.accel = requireNonNull(accel, "accel is null");
        this.images = requireNonNull(images, "images is null");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
        this.network = requireNonNull(network, "network is null");
    }

    /** The VM's QEMU command line: its machine, disks and seed, then its NIC. */
    List<String> command(QemuVmRecord record, VmPaths paths) {
        List<String> command = new ArrayList<>(QemuCommandLine.build(
                settings.qemuBinary(),
                settings.machineType(),
                accel,
                record,
                paths,
                bootMedia(record, paths),
                Files.exists(paths.seedIso()) ? paths.seedIso() : null));
        command.addAll(network.qemuArguments(record.vmId()));
        return command;
    }

    /** The VM's disk, from {@code base} (the cached image's absolute path); its size is checked against the image. */
    void createDisk(DesiredVm vm, Path base, VmPaths paths) {
        if (vm.imageFormat() != ImageFormat.KERNEL_INITRD) {
            long imageGib = QemuImg.gibibytes(qemuImg.virtualSizeBytes(base, vm.imageFormat()));
            if (vm.resources().diskGib() < imageGib) {
                throw new HypervisorException("the VM's disk of "
                        + vm.resources().diskGib() + " GiB is smaller than its image (" + imageGib + " GiB)");
            }
        }
        createIncomingDisk(vm, base, paths);
    }

    /**
     * The disk of an arriving VM: as {@link #createDisk}, without measuring the image again (the source did). A
     * kernel-and-initrd guest gets a blank disk if its flavor has one.
     */
    void createIncomingDisk(DesiredVm vm, Path base, VmPaths paths) {
        long diskGib = vm.resources().diskGib();
        if (vm.imageFormat() != ImageFormat.KERNEL_INITRD) {
            qemuImg.createOverlay(base, vm.imageFormat(), paths.disk(), diskGib);
        } else if (diskGib > 0) {
            qemuImg.createBlank(paths.disk(), diskGib);
        }
    }

    /** Removes what a previous QEMU may have left, and keeps the serial log bounded. */
    static void prepareLaunch(VmPaths paths) {
        try {
            Files.deleteIfExists(paths.pidFile());
            Files.deleteIfExists(paths.qmpSocket());
            if (Files.exists(paths.serialLog()) && Files.size(paths.serialLog()) > MAX_SERIAL_LOG_BYTES) {
                Files.move(paths.serialLog(), paths.previousSerialLog(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot prepare " + paths.directory() + ": " + e.getMessage(), e);
        }
    }

    static void createDirectory(VmPaths paths) {
        try {
            Files.createDirectories(paths.directory());
        } catch (IOException e) {
            throw new HypervisorException("cannot create " + paths.directory() + ": " + e.getMessage(), e);
        }
    }

    static void deleteDirectory(VmPaths paths) {
        if (!Files.exists(paths.directory())) {
            return;
        }
        try (Stream<Path> files = Files.walk(paths.directory())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot delete " + paths.directory() + ": " + e.getMessage(), e);
        }
    }

    private QemuCommandLine.BootMedia bootMedia(QemuVmRecord record, VmPaths paths) {
        if (record.imageFormat() != ImageFormat.KERNEL_INITRD) {
            return new QemuCommandLine.DiskBoot(paths.disk());
        }
        Path image = images.resolve(record.imageId(), record.imageFormat()).toAbsolutePath();
        return new QemuCommandLine.KernelBoot(
                image.resolve(ImageStore.KERNEL_FILE),
                image.resolve(ImageStore.INITRD_FILE),
                settings.kernelCommandLine(),
                Files.exists(paths.disk()) ? paths.disk() : null);
    }
}
