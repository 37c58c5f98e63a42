package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QemuCommandLineTest {
    private static final UUID VM = UUID.fromString("6f1c8a52-3b7e-4c1d-9a0b-2e5f7d8c9b10");
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    private static final VmPaths PATHS = VmPaths.of(Path.of("/var/lib/vireo"), VM);
    private static final String DIR = "/var/lib/vireo/qemu/" + VM;

    @Test
    void aKernelGuestBootsItsKernelAndInitrdWithoutADisk() {
        QemuCommandLine.KernelBoot boot = new QemuCommandLine.KernelBoot(
                Path.of("/images/k/vmlinuz"), Path.of("/images/k/initramfs.cpio.gz"), "console=ttyS0 quiet", null);

        List<String> args = QemuCommandLine.build(QEMU, "pc", QemuAccel.TCG, vm(2, 256), PATHS, boot, null);

        assertThat(args)
                .containsExactly(
                        "/usr/bin/qemu-system-x86_64",
                        "-name",
                        "vireo-" + VM + ",debug-threads=on",
                        "-uuid",
                        VM.toString(),
                        "-machine",
                        "pc",
                        "-accel",
                        "tcg",
                        "-m",
                        "size=256M",
                        "-smp",
                        "2",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-daemonize",
                        "-pidfile",
                        DIR + "/qemu.pid",
                        "-chardev",
                        "socket,id=qmp,path=" + DIR + "/qmp.sock,server=on,wait=off",
                        "-mon",
                        "chardev=qmp,mode=control",
                        "-chardev",
                        "file,id=serial0,path=" + DIR + "/serial.log,append=on",
                        "-serial",
                        "chardev:serial0",
                        "-device",
                        "virtio-balloon-pci,id=balloon0",
                        "-kernel",
                        "/images/k/vmlinuz",
                        "-initrd",
                        "/images/k/initramfs.cpio.gz",
                        "-append",
                        "console=ttyS0 quiet");
        assertThat(args).doesNotContain("-no-reboot", "-no-shutdown", "test-vm");
    }

    @Test
    void aDiskGuestBootsItsOverlayAndKvmPassesTheHostCpu() {
        List<String> args = QemuCommandLine.build(
                QEMU, "q35", QemuAccel.KVM, vm(1, 512), PATHS, new QemuCommandLine.DiskBoot(PATHS.disk()), null);

        assertThat(String.join(" ", args))
                .contains("-accel kvm -cpu host")
                .contains("-drive file=" + DIR + "/disk0.qcow2,format=qcow2,if=virtio,id=disk0")
                .doesNotContain("-kernel");
    }

    @Test
    void commasInPathsAreEscapedForQemuOptions() {
        VmPaths odd = VmPaths.of(Path.of("/srv/a,b"), VM);

        List<String> args = QemuCommandLine.build(
                QEMU, "pc", QemuAccel.TCG, vm(1, 128), odd, new QemuCommandLine.DiskBoot(odd.disk()), null);

        assertThat(args).contains("file=/srv/a,,b/qemu/" + VM + "/disk0.qcow2,format=qcow2,if=virtio,id=disk0");
        assertThat(args).contains("/srv/a,b/qemu/" + VM + "/qemu.pid");
    }

    @Test
    void aCloudInitSeedIsAttachedReadOnly() {
        List<String> args = QemuCommandLine.build(
                QEMU,
                "pc",
                QemuAccel.TCG,
                vm(1, 128),
                PATHS,
                new QemuCommandLine.DiskBoot(PATHS.disk()),
                PATHS.seedIso());

        assertThat(args).endsWith("-drive", "file=" + DIR + "/seed.iso,format=raw,if=virtio,readonly=on,id=seed0");
    }

    @Test
    void dataVolumesAreVirtioDisksAfterTheRootDiskWithTheirIdAsSerial() {
        UUID data = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");
        UUID logs = UUID.fromString("1b2c3d4e-5f6a-4b7c-9d8e-9fa0b1c2d3e4");
        QemuVmRecord record = vm(1, 128);
        QemuVmRecord withVolumes = new QemuVmRecord(
                record.vmId(),
                record.name(),
                record.generation(),
                record.resources(),
                record.imageId(),
                ImageFormat.QCOW2,
                null,
                List.of(new VolumeAttachment(data, 10, true), new VolumeAttachment(logs, 1, false)));

        List<String> args = QemuCommandLine.build(
                QEMU,
                "pc",
                QemuAccel.TCG,
                withVolumes,
                PATHS,
                new QemuCommandLine.DiskBoot(PATHS.disk()),
                PATHS.seedIso());

        assertThat(String.join(" ", args))
                .contains("-drive file=" + DIR + "/disk0.qcow2,format=qcow2,if=virtio,id=disk0"
                        + " -drive file=/var/lib/vireo/volumes/" + data + ".qcow2,format=qcow2,if=none,id=vol0"
                        + " -device virtio-blk-pci,drive=vol0,serial=0a1b2c3d-4e5f-4a6b-8"
                        + " -drive file=/var/lib/vireo/volumes/" + logs + ".qcow2,format=qcow2,if=none,id=vol1"
                        + " -device virtio-blk-pci,drive=vol1,serial=1b2c3d4e-5f6a-4b7c-9"
                        + " -drive file=" + DIR + "/seed.iso,format=raw,if=virtio,readonly=on,id=seed0");
    }

    @Test
    void autoMustBeResolvedFirst() {
        assertThatThrownBy(() -> QemuCommandLine.build(
                        QEMU,
                        "pc",
                        QemuAccel.AUTO,
                        vm(1, 128),
                        PATHS,
                        new QemuCommandLine.DiskBoot(PATHS.disk()),
                        null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "1  | 128    | 0  | KERNEL_INITRD | -",
                "4  | 4096   | 10 | QCOW2         | -",
                "64 | 32     | 1  | RAW           | -",
                "0  | 128    | 0  | KERNEL_INITRD | 1 to 64 vCPUs",
                "65 | 128    | 0  | KERNEL_INITRD | 1 to 64 vCPUs",
                "1  | 31     | 0  | KERNEL_INITRD | MiB of memory",
                "1  | 128    | 0  | QCOW2         | at least 1 GiB",
                "1  | 128    | 0  | RAW           | at least 1 GiB",
                "1  | 128    | 65537 | QCOW2      | at most 65536 GiB",
            })
    void specsAreValidatedBeforeAnythingIsMade(
            int vcpus, long memoryMib, long diskGib, ImageFormat format, String error) {
        Resources resources = new Resources(vcpus, memoryMib, diskGib);
        if (error == null) {
            QemuCommandLine.validate(resources, format, QemuSettings.DEFAULT_MAX_VCPUS);
        } else {
            assertThatThrownBy(() -> QemuCommandLine.validate(resources, format, QemuSettings.DEFAULT_MAX_VCPUS))
                    .isInstanceOf(HypervisorException.class)
                    .hasMessageContaining(error);
        }
    }

    private static QemuVmRecord vm(int vcpus, long memoryMib) {
        return new QemuVmRecord(
                VM,
                "test-vm",
                1,
                new Resources(vcpus, memoryMib, 0),
                UUID.randomUUID(),
                ImageFormat.KERNEL_INITRD,
                null,
                List.of());
    }
}
