package io.vireo.server.launcher;

import io.vireo.scheduler.snapshot.HostConversion;
import io.vireo.scheduler.snapshot.LabelNames;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --az} and {@code --trait} options of {@code vireo agent} and {@code vireo up}: an agent reports them as
 * the capabilities {@code az:ZONE} and {@code trait:NAME}, from which the scheduler reads zones and traits.
 */
final class HostLabels {
    @Option(names = "--az", paramLabel = "ZONE", description = "The availability zone of the host(s).")
    @Nullable
    String zone;

    @Option(
            names = "--trait",
            paramLabel = "TRAIT",
            description = "A trait of the host(s), e.g. cpu.avx2 or storage.ssd; repeat for more.")
    List<String> traits = new ArrayList<>();

    /** The capabilities to report; INVALID_ARGUMENT if a name is not a valid label. */
    List<String> capabilities() {
        List<String> capabilities = new ArrayList<>();
        String chosen = zone;
        if (chosen != null) {
            capabilities.add(HostConversion.ZONE_PREFIX + LabelNames.require("--az", chosen));
        }
        for (String trait : traits) {
            String capability = HostConversion.TRAIT_PREFIX + LabelNames.require("--trait", trait);
            if (!capabilities.contains(capability)) {
                capabilities.add(capability);
            }
        }
        return List.copyOf(capabilities);
    }
}
