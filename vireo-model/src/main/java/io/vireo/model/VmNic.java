package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A VM's network interface: every VM has one virtio NIC, whose MAC address is derived from the VM's id so that the
 * server, every agent that ever runs the VM, and a live migration's two ends agree on it without storing it.
 *
 * <p>The address is locally administered and unicast ({@code 02:} followed by the low 40 bits of the id, which are
 * random in a version 4 UUID). Two VMs on one layer-2 segment share an address with probability about n²/2⁴¹ for n
 * VMs (below 10⁻⁷ for a thousand); addresses chosen per port, and checked for uniqueness, come with virtual networks.
 *
 * @param mac the MAC address, six lower-case hex octets separated by colons
 */
public record VmNic(String mac) {
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final int ID_OCTETS = 5;

    public VmNic {
        requireNonNull(mac, "mac is null");
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a MAC address in xx:xx:xx:xx:xx:xx form: " + mac);
        }
        if ((HexFormat.fromHexDigits(mac, 0, 2) & 1) != 0) {
            throw new IllegalArgumentException("a NIC needs a unicast MAC address: " + mac);
        }
    }

    /** The NIC of VM {@code vmId}. */
    public static VmNic of(UUID vmId) {
        requireNonNull(vmId, "vmId is null");
        long bits = vmId.getLeastSignificantBits();
        StringBuilder mac = new StringBuilder("02");
        for (int octet = ID_OCTETS - 1; octet >= 0; octet--) {
            mac.append(':').append(HexFormat.of().toHexDigits((byte) (bits >>> (octet * Byte.SIZE))));
        }
        return new VmNic(mac.toString());
    }
}
