package io.vireo.cli.output;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Byte counts for people: {@code 512 B}, {@code 1.5 MiB}, {@code 20.0 GiB}. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {}

    public static String bytes(@Nullable Long bytes) {
        if (bytes == null || bytes < 0) {
            return Text.ABSENT;
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
