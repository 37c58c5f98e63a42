package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code accel=auto} is resolved, and the probe's mechanics with real QEMU under TCG. */
class AccelProbeTest {
    @TempDir
    Path stateDir;

    @Test
    void configuredAccelerationIsUsedAsItIs() {
        assertThat(AccelProbe.resolve(settings().withAccel(QemuAccel.TCG), stateDir))
                .isEqualTo(QemuAccel.TCG);
        assertThat(AccelProbe.resolve(settings().withAccel(QemuAccel.KVM), stateDir))
                .isEqualTo(QemuAccel.KVM);
    }

    @Test
    void autoFallsBackToTcgWhenTheKvmDeviceIsMissing() {
        QemuSettings settings = settings().withKvm(stateDir.resolve("no-such-kvm"), null);

        assertThat(AccelProbe.resolve(settings, stateDir)).isEqualTo(QemuAccel.TCG);
    }

    @Test
    void autoFallsBackToTcgWhenKvmCannotBootTheProbeGuest() throws IOException {
        requireQemuWithoutKvm();
        QemuSettings settings = settings().withKvm(Files.createFile(stateDir.resolve("kvm")), TestGuest.directory());

        assertThat(AccelProbe.resolve(settings, stateDir)).isEqualTo(QemuAccel.TCG);
    }

    @Test
    void autoFallsBackToTcgWhenQemuCannotInitialiseKvm() throws IOException {
        requireQemuWithoutKvm();
        QemuSettings settings = settings().withKvm(Files.createFile(stateDir.resolve("kvm")), null);

        assertThat(AccelProbe.resolve(settings, stateDir)).isEqualTo(QemuAccel.TCG);
    }

    @Test
    void theProbeGuestBootsAndPowersItselfOff() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();

        assertThat(AccelProbe.guestBoots(settings(), QemuAccel.TCG, TestGuest.directory(), stateDir))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"return\": {\"enabled\": true, \"present\": true}}   | true",
                "{\"return\": {\"enabled\": false, \"present\": true}}  | false",
                "{\"return\": {\"enabled\": true, \"present\": false}}  | false",
                "{\"return\": {}}                                      | false",
                "qemu-system-x86_64: -accel kvm: failed to initialize kvm | false",
            })
    void onlyAnEnabledAndPresentKvmCounts(String line, boolean enabled) {
        String output = "{\"QMP\": {\"version\": {}}}\n" + line + "\n{\"return\": {}}\n";

        assertThat(AccelProbe.reportsKvmEnabled(output)).isEqualTo(enabled);
    }

    private QemuSettings settings() {
        return QemuSettings.defaults(stateDir);
    }

    private static void requireQemuWithoutKvm() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();
        assumeThat(Path.of("/dev/kvm"))
                .as("this host has /dev/kvm, so QEMU can use KVM whatever device the setting names; skipping")
                .doesNotExist();
    }
}
