package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GuestMedia} with the real {@code genisoimage} and {@code qemu-img}: the seed ISO is read back with
 * {@code isoinfo}, the volume files with {@code qemu-img info}.
 */
class GuestMediaTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final UUID VM = UUID.fromString("6f1c8a52-3b7e-4c1d-9a0b-2e5f7d8c9b10");
    private static final UUID DATA = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");
    private static final UUID KEPT = UUID.fromString("1b2c3d4e-5f6a-4b7c-9d8e-9fa0b1c2d3e4");

    @TempDir
    Path stateDir;

    @BeforeAll
    static void requireTools() {
        assumeThat(TestGuest.onPath("genisoimage") && TestGuest.onPath("isoinfo") && TestGuest.onPath("qemu-img"))
                .as("genisoimage or qemu-img is not installed (apt-get install genisoimage qemu-utils); skipping")
                .isTrue();
    }

    @Test
    void aCloudImageVmGetsASeedWithItsIdNameUserDataAndSshKey() throws IOException {
        VmPaths paths = directory();
        String userData = "#cloud-config\npackages: [nginx]\n";
        DesiredVm vm =
                vm(ImageFormat.QCOW2, new GuestSpec(List.of(CloudInitUserDataTest.ED25519), userData, List.of()));

        media().create(vm, paths);

        String iso = paths.seedIso().toString();
        assertThat(isoinfo("-d", "-i", iso)).contains("Volume id: cidata");
        assertThat(isoinfo("-i", iso, "-R", "-x", "/meta-data"))
                .isEqualTo("instance-id: " + VM + "\nlocal-hostname: web-1\n");
        String seeded = isoinfo("-i", iso, "-R", "-x", "/user-data");
        assertThat(seeded)
                .isEqualTo(CloudInitUserData.render(VM, vm.guest().sshKeys(), userData))
                .contains(userData)
                .contains("ssh_authorized_keys:\n  - \"" + CloudInitUserDataTest.ED25519 + "\"");
        assertThat(isoinfo("-i", iso, "-R", "-f")).doesNotContain("network-config");
    }

    @Test
    void keysWithoutUserDataAreACloudConfig() {
        VmPaths paths = directory();
        DesiredVm vm = vm(ImageFormat.RAW, new GuestSpec(List.of(CloudInitUserDataTest.RSA), null, List.of()));

        media().create(vm, paths);

        assertThat(isoinfo("-i", paths.seedIso().toString(), "-R", "-x", "/user-data"))
                .isEqualTo("#cloud-config\nssh_authorized_keys:\n  - \"" + CloudInitUserDataTest.RSA + "\"\n");
    }

    @Test
    void aKernelGuestGetsNoSeed() {
        VmPaths paths = directory();

        media().create(vm(ImageFormat.KERNEL_INITRD, GuestSpec.NONE), paths);

        assertThat(paths.seedIso()).doesNotExist();
    }

    @Test
    void volumesAreBlankQcow2FilesNamedByTheirIdAndOnlyKeptOnesSurviveTheVm() {
        VmPaths paths = directory();
        DesiredVm vm = vm(
                ImageFormat.KERNEL_INITRD,
                new GuestSpec(
                        List.of(),
                        null,
                        List.of(new VolumeAttachment(DATA, 3, true), new VolumeAttachment(KEPT, 1, false))));

        media().create(vm, paths);

        assertThat(paths.volume(DATA)).isEqualTo(stateDir.resolve("volumes").resolve(DATA + ".qcow2"));
        assertThat(qemuImgInfo(paths.volume(DATA))).contains("\"virtual-size\": " + 3L * 1024 * 1024 * 1024);
        assertThat(qemuImgInfo(paths.volume(KEPT))).contains("\"virtual-size\": " + 1024L * 1024 * 1024);
        QemuVmRecords records = new QemuVmRecords(stateDir);
        records.write(paths, QemuVmRecord.of(vm));

        GuestMedia.deleteVolumes(records, paths);

        assertThat(paths.volume(DATA)).doesNotExist();
        assertThat(paths.volume(KEPT)).exists();
    }

    private GuestMedia media() {
        return new GuestMedia(
                new CloudInitSeed(Path.of("genisoimage"), TIMEOUT), new QemuImg(Path.of("qemu-img"), TIMEOUT));
    }

    private VmPaths directory() {
        VmPaths paths = VmPaths.of(stateDir, VM);
        try {
            Files.createDirectories(paths.directory());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return paths;
    }

    private static DesiredVm vm(ImageFormat format, GuestSpec guest) {
        return new DesiredVm(
                VM,
                "web-1",
                1,
                1,
                DesiredState.RUNNING,
                0,
                new Resources(1, 128, 1),
                UUID.randomUUID(),
                "cloud",
                format,
                null,
                guest);
    }

    private String qemuImgInfo(Path file) {
        return run(List.of("qemu-img", "info", "-f", "qcow2", "--output=json", file.toString()));
    }

    private String isoinfo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("isoinfo"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private String run(List<String> command) {
        ExternalCommand.Result result = ExternalCommand.run(command, stateDir, TIMEOUT, null);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }
}
