package io.vireo.model;

/** Helpers for quoting caller input in error messages. */
final class Texts {
    private static final int MAX_QUOTED = 64;

    private Texts() {}

    /** At most {@value #MAX_QUOTED} characters of {@code text}, control characters replaced, for an error message. */
    static String shorten(String text) {
        String head = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        StringBuilder clean = new StringBuilder(head.length());
        head.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }
}
