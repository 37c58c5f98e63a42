package io.vireo.model;

import io.vireo.common.VireoException;

/**
 * An IPv4 address as its 32-bit value (0 to 2^32 - 1). Parsed strictly: four decimal parts of 0-255 without leading
 * zeros, never through a name lookup.
 */
public record Ipv4Address(long value) implements Comparable<Ipv4Address> {
    public static final long MAX_VALUE = 0xFFFF_FFFFL;
    private static final int MAX_TEXT_LENGTH = 15;

    public Ipv4Address {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("not an IPv4 address value: " + value);
        }
    }

    /**
     * @throws VireoException INVALID_ARGUMENT naming {@code field} unless {@code text} is a dotted-quad IPv4 address
     */
    public static Ipv4Address parse(String field, String text) {
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw notAnAddress(field, text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw notAnAddress(field, text);
        }
        long value = 0;
        for (String part : parts) {
            value = (value << 8) | octet(field, text, part);
        }
        return new Ipv4Address(value);
    }

    private static int octet(String field, String text, String part) {
        if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
            throw notAnAddress(field, text);
        }
        int octet = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw notAnAddress(field, text);
            }
            octet = octet * 10 + (c - '0');
        }
        if (octet > 255) {
            throw notAnAddress(field, text);
        }
        return octet;
    }

    private static VireoException notAnAddress(String field, String text) {
        return VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not an IPv4 address (a.b.c.d)");
    }

    /** The address {@code offset} further on; throws if that leaves the address space. */
    public Ipv4Address plus(long offset) {
        return new Ipv4Address(value + offset);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "."
                + (value & 0xFF);
    }
}
