package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vireo.model.VmStats;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VmNetworkTest {
    private static final UUID VM = UUID.fromString("6f0c2f3e-1b7a-4c1d-9e2f-a1b2c3d4e5f6");

    @Test
    void theTapIsNamedFromTheLow48BitsOfTheVmIdWithinTheKernelsFifteenCharacters() {
        assertThat(VmNetwork.tapName(VM)).isEqualTo("vta1b2c3d4e5f6").hasSizeLessThanOrEqualTo(15);
        assertThat(VmNetwork.tapName(new UUID(0, 1))).isEqualTo("vt000000000001");
    }

    @Test
    void anUnpluggedVmHasItsNicWithoutABackend() {
        assertThat(VmNetwork.unplugged().qemuArguments(VM))
                .containsExactly("-device", "virtio-net-pci,id=nic0,mac=02:b2:c3:d4:e5:f6");
        assertThat(VmNetwork.unplugged().plugged()).isFalse();
        assertThat(VmNetwork.unplugged().counters()).isEmpty();
    }

    @Test
    void aPluggedVmHasItsNicOnATapThatQemuMakesWithoutScripts() {
        VmNetwork network = VmNetwork.namespace("vireo-a1", "vireobr0", Path.of("/tmp"));

        assertThat(network.qemuArguments(VM)).hasSize(4).satisfies(args -> {
            assertThat(args.get(0)).isEqualTo("-netdev");
            assertThat(args.get(1)).startsWith("tap,id=net0,ifname=vta1b2c3d4e5f6,script=no,downscript=no,vhost=");
            assertThat(args.get(2)).isEqualTo("-device");
            assertThat(args.get(3)).isEqualTo("virtio-net-pci,id=nic0,netdev=net0,mac=02:b2:c3:d4:e5:f6");
        });
        assertThat(network.describe())
                .isEqualTo("VM network interfaces on bridge vireobr0 in network namespace vireo-a1");
    }

    @Test
    void tapCountersAreTurnedAroundToTheGuestsSideAndOtherDevicesAreSkipped() {
        String procNetDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                vireobr0:     0       0    0    0    0     0          0         0      438       5    0    0    0     0       0          0
                vta1b2c3d4e5f6:    1026      11    0    0    0     0          0         0     1386      15    0    0    0     0       0          0
                vt000000000001: 18446744073709551615 1 0 0 0 0 0 0 7 1 0 0 0 0 0 0
                """;

        assertThat(VmNetwork.tapCounters(procNetDev))
                .containsOnlyKeys("vta1b2c3d4e5f6")
                .containsEntry("vta1b2c3d4e5f6", new VmStats.Network(1386, 1026));
    }

    @Test
    void namesThatTheKernelWouldRefuseAreRejectedBeforeIpRuns() {
        Path dir = Path.of("/tmp");
        assertThatIllegalArgumentException().isThrownBy(() -> VmNetwork.bridge("sixteen-chars-br", dir));
        assertThatIllegalArgumentException().isThrownBy(() -> VmNetwork.bridge("br 0", dir));
        assertThatIllegalArgumentException().isThrownBy(() -> VmNetwork.bridge("-br0", dir));
        assertThatIllegalArgumentException().isThrownBy(() -> VmNetwork.namespace("../etc", "br0", dir));
        assertThatIllegalArgumentException().isThrownBy(() -> VmNetwork.namespace("ns", "br/0", dir));
    }
}
