package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vireo.common.IdGenerator;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VmNicTest {
    @Test
    void theMacIsLocallyAdministeredUnicastAndTakenFromTheLowBitsOfTheId() {
        UUID id = UUID.fromString("6f0c2f3e-1b7a-4c1d-9e2f-a1b2c3d4e5f6");

        assertThat(VmNic.of(id).mac()).isEqualTo("02:b2:c3:d4:e5:f6");
        assertThat(VmNic.of(id)).isEqualTo(VmNic.of(UUID.fromString(id.toString())));
    }

    @Test
    void idsThatDifferOnlyInTheirLowBitsGetDifferentMacs() {
        IdGenerator ids = IdGenerator.seeded(new SplittableRandom(20261127));
        HashSet<String> macs = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String mac = VmNic.of(ids.next()).mac();
            assertThat(mac).startsWith("02:");
            macs.add(mac);
        }
        assertThat(macs).hasSize(10_000);
    }

    @Test
    void rejectsWhatIsNotAUnicastMac() {
        assertThatIllegalArgumentException().isThrownBy(() -> new VmNic("02:00:00:00:00"));
        assertThatIllegalArgumentException().isThrownBy(() -> new VmNic("02-00-00-00-00-01"));
        assertThatIllegalArgumentException().isThrownBy(() -> new VmNic("02:00:00:00:00:0G"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new VmNic("03:00:00:00:00:01"))
                .withMessageContaining("unicast");
    }
}
