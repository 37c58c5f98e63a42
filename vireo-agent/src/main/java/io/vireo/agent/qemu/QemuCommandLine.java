package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds the argument list of one VM's {@code qemu-system-x86_64} process from its validated record: a pure function,
 * no I/O. The list goes to {@link ProcessBuilder} as it is, never through a shell; paths are made only of the state
 * directory, the image store and the VM's UUID, and commas in them are doubled as QEMU's option syntax requires.
 *
 * <p>The process daemonises ({@code -daemonize}: it forks, starts a new session and detaches), so it outlives the
 * agent; it has no {@code -no-reboot} (a guest reboot resets the machine) and no {@code -no-shutdown} (a guest power-off
 * ends the process).
 */
final class QemuCommandLine {
    /** The least memory a VM may have: below this no kernel boots. */
    static final long MIN_MEMORY_MIB = 32;
    /** The most memory a VM may have: 4 TiB. */
    static final long MAX_MEMORY_MIB = 4L * 1024 * 1024;
    /** The largest disk a VM may have: 64 TiB. */
    static final long MAX_DISK_GIB = 64L * 1024;
    /** The QEMU drive (block backend) name of the VM's own disk. */
    static final String DISK = "disk0";
    /** The longest serial number a virtio-blk disk can have. */
    static final int MAX_SERIAL_LENGTH = 20;

    /** What the VM boots from. */
    sealed interface BootMedia {}

    /** Boots from the VM's own disk (a qcow2 overlay over its image). */
    record DiskBoot(Path disk) implements BootMedia {
        DiskBoot {
            requireNonNull(disk, "disk is null");
        }
    }

    /** Boots a kernel and initrd directly; {@code disk}, if any, is an extra blank disk. */
    record KernelBoot(
            Path kernel,
            Path initrd,
            String commandLine,
            @Nullable Path disk) implements BootMedia {
        KernelBoot {
            requireNonNull(kernel, "kernel is null");
            requireNonNull(initrd, "initrd is null");
            requireNonNull(commandLine, "commandLine is null");
        }
    }

    private QemuCommandLine() {}

    /**
     * Checks that QEMU can run a VM of {@code resources} from an image of {@code format}.
     *
     * @throws HypervisorException with a message fit for the VM's owner
     */
    static void validate(Resources resources, ImageFormat format, int maxVcpus) {
        if (resources.vcpus() < 1 || resources.vcpus() > maxVcpus) {
            throw new HypervisorException("a VM needs 1 to " + maxVcpus + " vCPUs, not " + resources.vcpus());
        }
        if (resources.memoryMib() < MIN_MEMORY_MIB || resources.memoryMib() > MAX_MEMORY_MIB) {
            throw new HypervisorException("a VM needs " + MIN_MEMORY_MIB + " MiB to " + MAX_MEMORY_MIB
                    + " MiB of memory, not " + resources.memoryMib());
        }
        if (resources.diskGib() > MAX_DISK_GIB) {
            throw new HypervisorException(
                    "a VM disk can have at most " + MAX_DISK_GIB + " GiB, not " + resources.diskGib());
        }
        if (format != ImageFormat.KERNEL_INITRD && resources.diskGib() < 1) {
            throw new HypervisorException("a VM booting from a " + format + " image needs a disk of at least 1 GiB");
        }
    }

    /**
     * The arguments of the VM's QEMU process.
     *
     * @param seedIso a cloud-init seed to attach read-only, or null
     */
    static List<String> build(
            Path qemuBinary,
            String machineType,
            QemuAccel accel,
            QemuVmRecord vm,
            VmPaths paths,
            BootMedia boot,
            @Nullable Path seedIso) {
        if (accel == QemuAccel.AUTO) {
            throw new IllegalArgumentException("accel must be resolved before QEMU is started");
        }
        List<String> args = new ArrayList<>();
        args.add(qemuBinary.toString());
        add(args, "-name", "vireo-" + vm.vmId() + ",debug-threads=on");
        add(args, "-uuid", vm.vmId().toString());
        add(args, "-machine", machineType);
        add(args, "-accel", accel.option());
        if (accel == QemuAccel.KVM) {
            add(args, "-cpu", "host");
        }
        add(args, "-m", "size=" + vm.resources().memoryMib() + "M");
        add(args, "-smp", Integer.toString(vm.resources().vcpus()));
        args.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-daemonize"));
        add(args, "-pidfile", paths.pidFile().toString());
        add(args, "-chardev", "socket,id=qmp,path=" + option(paths.qmpSocket()) + ",server=on,wait=off");
        add(args, "-mon", "chardev=qmp,mode=control");
        add(args, "-chardev", "file,id=serial0,path=" + option(paths.serialLog()) + ",append=on");
        add(args, "-serial", "chardev:serial0");
        add(args, "-device", "virtio-balloon-pci,id=balloon0");
        switch (boot) {
            case DiskBoot disk -> addDisk(args, disk.disk());
            case KernelBoot kernel -> {
                add(args, "-kernel", kernel.kernel().toString());
                add(args, "-initrd", kernel.initrd().toString());
                add(args, "-append", kernel.commandLine());
                if (kernel.disk() != null) {
                    addDisk(args, kernel.disk());
                }
            }
        }
        addVolumes(args, vm, paths);
        if (seedIso != null) {
            add(args, "-drive", "file=" + option(seedIso) + ",format=raw,if=virtio,readonly=on,id=seed0");
        }
        return List.copyOf(args);
    }

    /** {@code path} as the value of a QEMU option, where a comma separates options and {@code ,,} is a comma. */
    static String option(Path path) {
        return path.toString().replace(",", ",,");
    }

    /**
     * Each data volume as a virtio-blk disk after the VM's own disk, with QEMU block node {@code vol<N>} and serial
     * {@link #volumeSerial}: the guest finds it as {@code /dev/disk/by-id/virtio-<serial>}.
     */
    private static void addVolumes(List<String> args, QemuVmRecord vm, VmPaths paths) {
        for (int i = 0; i < vm.volumes().size(); i++) {
            VolumeAttachment volume = vm.volumes().get(i);
            String drive = volumeDrive(i);
            add(
                    args,
                    "-drive",
                    "file=" + option(paths.volume(volume.volumeId())) + ",format=qcow2,if=none,id=" + drive);
            add(args, "-device", "virtio-blk-pci,drive=" + drive + ",serial=" + volumeSerial(volume.volumeId()));
        }
    }

    /** The QEMU drive name of the VM's data volume number {@code index} (from 0, in attachment order). */
    static String volumeDrive(int index) {
        return "vol" + index;
    }

    /** A virtio-blk serial holds at most 20 characters: the first 20 of the volume's id. */
    static String volumeSerial(UUID volumeId) {
        return volumeId.toString().substring(0, MAX_SERIAL_LENGTH);
    }

    private static void addDisk(List<String> args, Path disk) {
        add(args, "-drive", "file=" + option(disk) + ",format=qcow2,if=virtio,id=" + DISK);
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }
}
