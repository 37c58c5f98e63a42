package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VmNic;
import io.vireo.model.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VMs' network interfaces with real QEMU under TCG, the Vireo test guest and a network namespace this test makes (and
 * removes): the tap is on the bridge inside the namespace, traffic sent to the guest from the namespace shows in the
 * VM's counters, an agent restart plugs a tap that was left unplugged, and deleting the VM and closing the driver
 * leave no device and no namespace. Needs root ({@code CAP_NET_ADMIN}), {@code ip} and {@code ping}.
 */
class QemuNetworkTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final String BRIDGE = "vireobr0";
    private static final int PINGS = 5;
    /** An ICMPv6 echo of ping's default 56 data bytes: Ethernet 14 + IPv6 40 + ICMPv6 8 + 56. */
    private static final long ECHO_FRAME_BYTES = 118;

    private static Path guest = Path.of("unset");

    @TempDir
    Path stateDir;

    /** A second agent's state directory, its VMs on the same bridge. */
    @TempDir
    Path otherStateDir;

    @TempDir
    Path imageDir;

    private final UUID imageId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020101");
    private final String namespace = "vireo-test-" + HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
    private final List<QemuDriver> drivers = new ArrayList<>();
    private LocalImageStore images = new LocalImageStore(Path.of("unset"));

    @BeforeAll
    static void requireQemuAndNetworkPrivileges() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();
        assumeThat(VmNetwork.available())
                .as("making network devices needs CAP_NET_ADMIN and ip; skipping")
                .isTrue();
        assumeThat(TestGuest.onPath("ping"))
                .as("ping is not installed (iputils-ping); skipping")
                .isTrue();
        guest = TestGuest.directory();
    }

    @BeforeEach
    void linkTestGuestIntoTheImageStore() throws IOException {
        images = TestGuest.imageStore(imageDir, imageId);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (QemuDriver driver : drivers) {
            driver.close();
        }
        TestGuest.deleteEveryVm(settings(), images);
        TestGuest.deleteEveryVm(QemuSettings.defaults(otherStateDir).withAccel(QemuAccel.TCG), images);
        if (Files.exists(Path.of("/run/netns", namespace))) {
            run("ip", "netns", "delete", namespace);
        }
    }

    @Test
    void aVmsTapIsOnTheBridgeAndItsTrafficShowsInItsCounters() throws Exception {
        QemuDriver driver = driver();
        DesiredVm vm = vm("net-vm");
        String tap = VmNetwork.tapName(vm.vmId());
        String mac = VmNic.of(vm.vmId()).mac();
        SerialLog serial = new SerialLog(driver.paths(vm.vmId()).serialLog());

        driver.create(vm);
        driver.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT).until(() -> serial.boots() >= 1);

        assertThat(serial.contains("mac=" + mac))
                .as("the guest sees its NIC with the VM's MAC")
                .isTrue();
        assertThat(run("ip", "-n", namespace, "-o", "link", "show", "dev", tap))
                .contains("master " + BRIDGE)
                .contains(",UP,");
        assertThat(run("ip", "-o", "link", "show"))
                .as("no tap is left in the agent's namespace")
                .doesNotContain(tap);

        // The guest answers once its duplicate address detection is over, a second or two after its ready line.
        String address = linkLocal(mac) + "%" + BRIDGE;
        await().atMost(BOOT_TIMEOUT)
                .until(() ->
                        exitCode("ip", "netns", "exec", namespace, "ping", "-6", "-c", "1", "-W", "1", address) == 0);
        VmStats.Network before = network(driver, vm.vmId());
        String ping = run(
                "ip",
                "netns",
                "exec",
                namespace,
                "ping",
                "-6",
                "-c",
                Integer.toString(PINGS),
                "-i",
                "0.2",
                "-W",
                "10",
                address);
        assertThat(ping).contains(PINGS + " received");
        VmStats.Network after = network(driver, vm.vmId());
        assertThat(after.receivedBytes() - before.receivedBytes())
                .as("the echo requests reached the guest")
                .isGreaterThanOrEqualTo(PINGS * ECHO_FRAME_BYTES);
        assertThat(after.transmittedBytes() - before.transmittedBytes())
                .as("the guest sent the echo replies")
                .isGreaterThanOrEqualTo(PINGS * ECHO_FRAME_BYTES);

        // The agent stops, and its VM's tap ends up outside the namespace (as if the agent had stopped between
        // starting QEMU and plugging the tap): the next agent adopts the VM and plugs the tap again.
        driver.close();
        drivers.remove(driver);
        run("ip", "-n", namespace, "link", "set", "dev", tap, "netns", "1");
        QemuDriver restarted = driver();
        assertThat(restarted.list()).extracting(DriverVm::vmId).contains(vm.vmId());
        assertThat(run("ip", "-n", namespace, "-o", "link", "show", "dev", tap)).contains("master " + BRIDGE);
        assertThat(network(restarted, vm.vmId()).receivedBytes())
                .as("the counters belong to the same tap, not a new one")
                .isGreaterThanOrEqualTo(after.receivedBytes());

        restarted.delete(vm.vmId());
        assertThat(run("ip", "-n", namespace, "-o", "link", "show")).doesNotContain(tap);
        restarted.close();
        drivers.remove(restarted);
        assertThat(Path.of("/run/netns", namespace))
                .as("the namespace goes once no VM runs in it")
                .doesNotExist();
    }

    @Test
    void twoVmsOnOneBridgeReachEachOther() {
        QemuDriver first = driver();
        DesiredVm target = vm("target");
        first.create(target);
        first.start(target.vmId());
        String targetAddress = linkLocal(VmNic.of(target.vmId()).mac());
        // The other VM's guest pings the first one's link-local address through its own NIC, once a second.
        QemuDriver second = driver(QemuSettings.defaults(otherStateDir)
                .withAccel(QemuAccel.TCG)
                .withKernelCommandLine(QemuSettings.DEFAULT_KERNEL_COMMAND_LINE + " vireo.ping=" + targetAddress));
        DesiredVm pinger = vm("pinger");
        second.create(pinger);
        second.start(pinger.vmId());
        SerialLog serial = new SerialLog(second.paths(pinger.vmId()).serialLog());

        await().atMost(BOOT_TIMEOUT).until(() -> serial.contains(targetAddress + " OK"));

        assertThat(serial.contains("VIREO-PING 1 " + targetAddress))
                .as("the guest started pinging")
                .isTrue();
        assertThat(network(first, target.vmId()).transmittedBytes())
                .as("the target sent the echo replies")
                .isPositive();
    }

    private DesiredVm vm(String name) {
        return new DesiredVm(
                UUID.randomUUID(),
                name,
                1,
                1,
                DesiredState.RUNNING,
                0,
                new Resources(1, 128, 0),
                imageId,
                "test-guest",
                ImageFormat.KERNEL_INITRD);
    }

    private QemuDriver driver() {
        return driver(settings());
    }

    private QemuDriver driver(QemuSettings settings) {
        QemuDriver driver = new QemuDriver(
                settings,
                images,
                Clock.systemUTC(),
                QemuMigrationSettings.defaults(),
                new SplittableRandom(1),
                VmNetwork.namespace(namespace, BRIDGE, stateDir));
        drivers.add(driver);
        return driver;
    }

    private QemuSettings settings() {
        return QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG);
    }

    private static VmStats.Network network(QemuDriver driver, UUID vmId) {
        VmStats.Network network = driver.metrics(vmId).orElseThrow().network();
        assertThat(network).as("a plugged VM has network counters").isNotNull();
        return java.util.Objects.requireNonNull(network);
    }

    /** The IPv6 link-local address the guest's kernel forms from {@code mac} (modified EUI-64). */
    static String linkLocal(String mac) {
        byte[] octets = HexFormat.ofDelimiter(":").parseHex(mac);
        int[] o = new int[octets.length];
        for (int i = 0; i < octets.length; i++) {
            o[i] = octets[i] & 0xff;
        }
        return String.format(
                "fe80::%x:%x:%x:%x",
                ((o[0] ^ 0x02) << 8) | o[1], (o[2] << 8) | 0xff, (0xfe << 8) | o[3], (o[4] << 8) | o[5]);
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return process.waitFor();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
        return output;
    }
}
