package io.vireo.model;

import io.vireo.common.VireoException;
import java.util.HexFormat;
import java.util.UUID;

/** A 48-bit Ethernet MAC address, printed as six lower-case hex pairs separated by colons. */
public record MacAddress(long value) {
    private static final long MAX_VALUE = 0xFFFF_FFFF_FFFFL;
    /** The locally administered bit of the first octet. */
    private static final long LOCAL_BIT = 0x02L << 40;
    /** The group (multicast) bit of the first octet. */
    private static final long GROUP_BIT = 0x01L << 40;

    public MacAddress {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("not a MAC address value: " + value);
        }
    }

    /**
     * A locally administered unicast address made from 46 bits of {@code id} (a random identifier from the server's
     * id generator), so it is as random as the id and never collides with a vendor's address.
     */
    public static MacAddress locallyAdministered(UUID id) {
        long bits = id.getLeastSignificantBits() & MAX_VALUE;
        return new MacAddress((bits | LOCAL_BIT) & ~GROUP_BIT);
    }

    /** @throws VireoException INVALID_ARGUMENT naming {@code field} unless {@code text} is {@code aa:bb:cc:dd:ee:ff} */
    public static MacAddress parse(String field, String text) {
        if (text.length() != 17 || !text.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")) {
            throw VireoException.invalid(
                    field, "'" + Texts.shorten(text) + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
        }
        return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
    }

    public boolean locallyAdministered() {
        return (value & LOCAL_BIT) != 0;
    }

    public boolean unicast() {
        return (value & GROUP_BIT) == 0;
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().toHexDigits(value).substring(4);
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                text.append(':');
            }
            text.append(hex, i, i + 2);
        }
        return text.toString();
    }
}
