package io.vireo.model;

import io.vireo.common.VireoException;

/** Parses the prefix length of a CIDR. */
final class PrefixLengths {
    private PrefixLengths() {}

    static int parse(String field, String text, int min, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not a prefix length");
        }
        int prefix = Integer.parseInt(text);
        if (prefix < min || prefix > max) {
            throw VireoException.invalid(field, "the prefix length must be " + min + "-" + max + ", not " + prefix);
        }
        return prefix;
    }
}
