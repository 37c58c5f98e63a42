package io.vireo.cli;

import io.vireo.cli.client.VmStatsView;
import io.vireo.cli.output.Ages;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Sizes;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** {@code vireo vm stats} for people: one line per measure, "n/a" with the reason where a value is not available. */
final class VmStatsDetails {
    private VmStatsDetails() {}

    static Details of(VmStatsView stats, Instant now) {
        VmStatsView.Cpu cpu = stats.cpu();
        VmStatsView.Memory memory = stats.memory();
        VmStatsView.Disk disk = stats.disk();
        VmStatsView.Network network = stats.network();
        return new Details()
                .add("Sampled", Ages.withAge(stats.sampledAt(), now))
                .add("CPU", cpu == null ? null : cpu(cpu))
                .add("Memory (host)", memory == null ? null : Sizes.bytes(memory.residentBytes()) + " resident")
                .add("Memory (guest)", memory == null ? null : guestMemory(memory))
                .add("Disk read", disk == null ? null : io(disk.readBytes(), disk.readOperations()))
                .add("Disk written", disk == null ? null : io(disk.writtenBytes(), disk.writeOperations()))
                .add(
                        "Network",
                        network == null
                                ? "n/a (the network interface is not plugged into a bridge)"
                                : Sizes.bytes(network.receivedBytes()) + " received, "
                                        + Sizes.bytes(network.transmittedBytes()) + " sent")
                .add("Synthetic", Boolean.TRUE.equals(stats.synthetic()) ? "yes (fake driver: not measured)" : "no");
    }

    private static String cpu(VmStatsView.Cpu cpu) {
        String share =
                cpu.percent() == null ? "n/a (first sample)" : String.format(Locale.ROOT, "%.1f%%", cpu.percent());
        String time = cpu.timeMillis() == null ? "-" : String.format(Locale.ROOT, "%.1f s", cpu.timeMillis() / 1000.0);
        return share + " of " + cpu.vcpus() + " vCPU" + (Integer.valueOf(1).equals(cpu.vcpus()) ? "" : "s")
                + " (CPU time " + time + ")";
    }

    private static String guestMemory(VmStatsView.Memory memory) {
        String size = Sizes.bytes(memory.guestBytes());
        if (memory.guestTotalBytes() == null || memory.guestAvailableBytes() == null) {
            return size + "; usage n/a (the guest reports no balloon statistics)";
        }
        return size + "; " + Sizes.bytes(memory.guestAvailableBytes()) + " available of "
                + Sizes.bytes(memory.guestTotalBytes());
    }

    private static String io(@Nullable Long bytes, @Nullable Long operations) {
        return Sizes.bytes(bytes) + " in " + (operations == null ? "-" : operations) + " operations";
    }
}
