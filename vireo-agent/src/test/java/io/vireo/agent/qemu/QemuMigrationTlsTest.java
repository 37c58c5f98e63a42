package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import io.vireo.pki.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration streams admit only the two hosts a migration is between (ADR 20), with real QEMU under TCG: a
 * destination prepared for one source refuses every other sender at its disk export (NBD) and at its migration
 * listener, be it another host of the same CA or a certificate of another CA that names the source; and a source does
 * not send to a destination that is not the host it was told. The refused sender's guest runs on.
 */
class QemuMigrationTlsTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final UUID SOURCE_HOST = UUID.fromString("5a5a5a5a-0000-4000-8000-000000000021");
    private static final UUID DESTINATION_HOST = UUID.fromString("d0d0d0d0-0000-4000-8000-000000000022");
    private static final UUID OTHER_HOST = UUID.fromString("0e0e0e0e-0000-4000-8000-000000000023");

    @TempDir
    Path intruderDir;

    @TempDir
    Path destinationDir;

    @TempDir
    Path imageDir;

    private final UUID imageId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    private final List<QemuDriver> drivers = new ArrayList<>();
    private LocalImageStore images = new LocalImageStore(Path.of("unset"));

    @BeforeAll
    static void requireQemu() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86 qemu-utils); skipping")
                .isTrue();
        TestGuest.directory();
    }

    @BeforeEach
    void linkTestGuestIntoTheImageStore() throws IOException {
        images = TestGuest.imageStore(imageDir, imageId);
    }

    @AfterEach
    void tearDown() {
        drivers.forEach(QemuDriver::close);
        for (Path stateDir : List.of(intruderDir, destinationDir)) {
            TestGuest.deleteEveryVm(settings(stateDir), images);
        }
    }

    @Test
    void theDiskExportRefusesAHostThatIsNotTheSource() {
        DesiredVm vm = vm(new Resources(1, 128, 1));
        IncomingMigration incoming = destination().prepareIncoming(vm, SOURCE_HOST);
        assertThat(incoming.endpoint().diskPort()).isPositive();
        QemuDriver intruder = running(HostCertificates.issue(intruderDir, OTHER_HOST), vm);

        // the handshake succeeds (same CA), then the export's authorization closes the connection
        assertThatThrownBy(() -> intruder.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("blockdev-add")
                .hasMessageContaining("TLS channel");

        assertThat(intruder.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        assertThat(arrived(incoming)).as("nothing arrived at the destination").isFalse();
    }

    @Test
    void theMigrationListenerRefusesAHostThatIsNotTheSource() {
        DesiredVm vm = vm(new Resources(1, 128, 0));
        IncomingMigration incoming = destination().prepareIncoming(vm, SOURCE_HOST);
        assertThat(incoming.endpoint().diskPort())
                .as("no disk: the memory stream alone")
                .isZero();
        QemuDriver intruder = running(HostCertificates.issue(intruderDir, OTHER_HOST), vm);

        assertThatThrownBy(() -> intruder.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("migration failed")
                .hasMessageContaining("TLS channel");

        assertThat(intruder.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        assertThat(arrived(incoming)).as("nothing arrived at the destination").isFalse();
    }

    /**
     * A host of another CA, even one naming the source host: no connection. (QEMU will not present a certificate that
     * its own CA file does not validate, so the sender here trusts its own CA and refuses the destination's first.)
     */
    @Test
    void aHostOfAnotherCaGetsNoConnectionEvenNamingTheSource() {
        DesiredVm vm = vm(new Resources(1, 128, 1));
        IncomingMigration incoming = destination().prepareIncoming(vm, SOURCE_HOST);
        CertificateAuthority forged =
                CertificateAuthority.create(Instant.now(), Duration.ofDays(1), HostCertificates.RANDOM);
        QemuDriver intruder = running(HostCertificates.issue(intruderDir, SOURCE_HOST, forged), vm);

        assertThatThrownBy(() -> intruder.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("blockdev-add")
                .hasMessageContaining("known issuer");
        assertThat(arrived(incoming)).isFalse();
        assertThat(intruder.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
    }

    @Test
    void aSourceDoesNotSendToAHostItWasNotTold() {
        DesiredVm vm = vm(new Resources(1, 128, 1));
        // the listener is a host of the CA, prepared for this source, but not the destination the source was told
        IncomingMigration incoming = destination().prepareIncoming(vm, OTHER_HOST);
        QemuDriver source = running(HostCertificates.issue(intruderDir, OTHER_HOST), vm);

        assertThatThrownBy(() -> source.migrateOut(vm.vmId(), incoming.endpoint(), SOURCE_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("does not match the hostname " + SOURCE_HOST + ".host.vireo");
        assertThat(source.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
    }

    /** Whether the VM runs at the destination (a destination that gave up after the refusal has not). */
    private static boolean arrived(IncomingMigration incoming) {
        return incoming.running().isDone() && !incoming.running().isCompletedExceptionally();
    }

    private QemuDriver destination() {
        return driver(destinationDir, HostCertificates.issue(destinationDir, DESTINATION_HOST));
    }

    /** A driver in {@code intruderDir} with {@code identity}, running {@code vm}. */
    private QemuDriver running(MigrationIdentity identity, DesiredVm vm) {
        QemuDriver driver = driver(intruderDir, identity);
        driver.create(vm);
        driver.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT)
                .until(() -> driver.find(vm.vmId()).map(DriverVm::power).orElse(null) == ObservedPower.RUNNING);
        return driver;
    }

    private QemuDriver driver(Path stateDir, MigrationIdentity identity) {
        QemuDriver driver = new QemuDriver(
                settings(stateDir),
                images,
                Clock.systemUTC(),
                QemuMigrationSettings.defaults()
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(1))
                        .withIdentity(identity),
                new SplittableRandom(13));
        drivers.add(driver);
        return driver;
    }

    private static QemuSettings settings(Path stateDir) {
        return QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG);
    }

    private DesiredVm vm(Resources resources) {
        return new DesiredVm(
                UUID.randomUUID(),
                "test-vm",
                1,
                1,
                DesiredState.RUNNING,
                0,
                resources,
                imageId,
                "test-guest",
                ImageFormat.KERNEL_INITRD);
    }
}
