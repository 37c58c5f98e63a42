package io.vireo.server.logging;

import java.util.Locale;

/** The format of the log lines on standard error ({@code --log-format}). */
public enum LogFormat {
    /** For people: time, level, thread, logger, {@code [correlation id]}, message (logback.xml's pattern). */
    TEXT,
    /** For log collectors: one JSON object per line ({@link JsonLineEncoder}). */
    JSON;

    /** {@code text} or {@code json}; anything else is an {@link IllegalArgumentException} naming the option. */
    public static LogFormat fromSetting(String setting) {
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log-format must be text or json, not " + setting);
        };
    }
}
