package io.vireo.common;

import java.util.regex.Pattern;

/**
 * The one rule for names of user-visible objects: lower-case letters, digits and inner hyphens, at most 63
 * characters (a DNS label). A name that passes can safely appear in a log line, a file name or a host name.
 */
public final class Names {
    public static final int MAX_LENGTH = 63;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Names() {}

    public static boolean isValid(String name) {
        return name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /** Returns {@code name} if it is valid, else throws an {@link ErrorCode#INVALID_ARGUMENT} error naming the field. */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw VireoException.invalid(
                    field, "must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
        }
        return name;
    }
}
