package io.vireo.model;

import io.vireo.common.VireoException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An IPv6 network in CIDR notation, such as {@code fd00:1::/64}: the 128-bit prefix as two halves (host bits zero)
 * and the prefix length, {@value #MIN_PREFIX_LENGTH} to {@value #MAX_PREFIX_LENGTH}. Parsed as a literal without an embedded
 * IPv4 part or zone, never through a name lookup; printed in the canonical form of RFC 5952.
 */
public record Ipv6Cidr(long high, long low, int prefixLength) {
    public static final int MIN_PREFIX_LENGTH = 8;
    public static final int MAX_PREFIX_LENGTH = 64;
    private static final int MAX_TEXT_LENGTH = 45;

    public Ipv6Cidr {
        if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefixLength must be " + MIN_PREFIX_LENGTH + "-" + MAX_PREFIX_LENGTH);
        }
        if (low != 0 || (high & ~highMask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set");
        }
    }

    /** @throws VireoException INVALID_ARGUMENT naming {@code field} unless {@code text} is such a network */
    public static Ipv6Cidr parse(String field, String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? "" : text.substring(0, slash);
        if (slash < 0
                || text.length() > MAX_TEXT_LENGTH
                || address.indexOf(':') < 0
                || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':')) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not an IPv6 CIDR (prefix::/length)");
        }
        int prefix = PrefixLengths.parse(field, text.substring(slash + 1), MIN_PREFIX_LENGTH, MAX_PREFIX_LENGTH);
        long[] groups = groups(address);
        if (groups == null) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not an IPv6 CIDR (prefix::/length)");
        }
        long high = (groups[0] << 48) | (groups[1] << 32) | (groups[2] << 16) | groups[3];
        long low = (groups[4] << 48) | (groups[5] << 32) | (groups[6] << 16) | groups[7];
        if (low != 0 || (high & ~highMask(prefix)) != 0) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' has host bits set");
        }
        return new Ipv6Cidr(high, low, prefix);
    }

    /** The eight 16-bit groups of a literal such as {@code fd00:1::}, or null if it is none. */
    private static long @Nullable [] groups(String address) {
        int gap = address.indexOf("::");
        if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<String> head = split(gap < 0 ? address : address.substring(0, gap));
        List<String> tail = gap < 0 ? List.of() : split(address.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int given = head.size() + tail.size();
        if (gap < 0 ? given != 8 : given > 7) {
            return null;
        }
        long[] groups = new long[8];
        for (int i = 0; i < head.size(); i++) {
            groups[i] = Long.parseLong(head.get(i), 16);
        }
        for (int i = 0; i < tail.size(); i++) {
            groups[8 - tail.size() + i] = Long.parseLong(tail.get(i), 16);
        }
        return groups;
    }

    /** The colon-separated groups of 1-4 hex digits, or null if one is empty or too long. */
    private static @Nullable List<String> split(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> parts = List.of(text.split(":", -1));
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
        }
        return parts;
    }

    private static long highMask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
    }

    public boolean overlaps(Ipv6Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (high & highMask(shorter)) == (other.high & highMask(shorter));
    }

    @Override
    public String toString() {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((high >>> (48 - 16 * i)) & 0xFFFF);
            groups[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xFFFF);
        }
        return compressed(groups) + "/" + prefixLength;
    }

    /** RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as "::". */
    private static String compressed(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
