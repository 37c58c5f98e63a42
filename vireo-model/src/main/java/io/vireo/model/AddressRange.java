package io.vireo.model;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;

/** An inclusive range of IPv4 addresses, {@code first-last}: an allocation pool of a subnet. */
public record AddressRange(Ipv4Address first, Ipv4Address last) {
    public AddressRange {
        requireNonNull(first, "first is null");
        requireNonNull(last, "last is null");
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range ends before it starts: " + first + "-" + last);
        }
    }

    /** @throws VireoException INVALID_ARGUMENT naming {@code field} unless {@code text} is {@code START-END} */
    public static AddressRange parse(String field, String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not a range (START-END)");
        }
        Ipv4Address first = Ipv4Address.parse(field, text.substring(0, dash));
        Ipv4Address last = Ipv4Address.parse(field, text.substring(dash + 1));
        if (first.compareTo(last) > 0) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' ends before it starts");
        }
        return new AddressRange(first, last);
    }

    public long size() {
        return last.value() - first.value() + 1;
    }

    public boolean contains(Ipv4Address address) {
        return address.compareTo(first) >= 0 && address.compareTo(last) <= 0;
    }

    public boolean overlaps(AddressRange other) {
        return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
