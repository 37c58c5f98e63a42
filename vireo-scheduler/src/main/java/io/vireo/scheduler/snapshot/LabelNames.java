package io.vireo.scheduler.snapshot;

import io.vireo.common.VireoException;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The one rule for the names of traits ({@code cpu.avx2}, {@code HW_CPU_X86_AVX2}), availability zones and aggregates:
 * 1-128 characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit.
 */
public final class LabelNames {
    public static final int MAX_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private LabelNames() {}

    public static boolean isValid(String name) {
        return NAME.matcher(name).matches();
    }

    /** Returns {@code name} if it is valid, else throws an INVALID_ARGUMENT error naming {@code field}. */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw VireoException.invalid(
                    field,
                    "'" + name + "' must be 1-" + MAX_LENGTH
                            + " characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Checks every name and that there are at most {@code limit} of them. */
    public static void requireAll(String field, Collection<String> names, int limit) {
        if (names.size() > limit) {
            throw VireoException.invalid(field, "at most " + limit + " names, got " + names.size());
        }
        for (String name : names) {
            require(field, name);
        }
    }
}
