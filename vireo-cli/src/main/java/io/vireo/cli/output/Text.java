package io.vireo.cli.output;

import org.jspecify.annotations.Nullable;

/** Turns values from the server into text that is safe to print on a terminal. */
public final class Text {
    /** Shown for a value the server did not send. */
    public static final String ABSENT = "-";

    private Text() {}

    /**
     * The value with control characters replaced by {@code ?}: a name or message from the server must not be able to
     * move the cursor, recolor the terminal or break a table row.
     */
    public static String printable(@Nullable Object value) {
        if (value == null) {
            return ABSENT;
        }
        String text = value.toString();
        StringBuilder result = new StringBuilder(text.length());
        text.codePoints().forEach(c -> result.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return result.toString();
    }

    /**
     * Text meant to keep its lines, such as a console log: control characters other than newline and tab replaced by
     * {@code ?}, so the guest cannot drive the terminal (escape sequences, carriage returns over earlier output). Serial
     * consoles end lines with CR LF: those become plain newlines, and a CR ending the text (its LF in the next chunk)
     * is dropped.
     */
    public static String printableLines(String text) {
        String lines = text.replace("\r\n", "\n");
        if (lines.endsWith("\r")) {
            lines = lines.substring(0, lines.length() - 1);
        }
        StringBuilder result = new StringBuilder(lines.length());
        lines.codePoints()
                .forEach(c -> result.appendCodePoint(c == '\n' || c == '\t' || !Character.isISOControl(c) ? c : '?'));
        return result.toString();
    }
}
