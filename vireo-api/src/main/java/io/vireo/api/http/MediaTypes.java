package io.vireo.api.http;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Content types the API reads and writes. */
public final class MediaTypes {
    public static final String JSON = "application/json";
    public static final String OCTET_STREAM = "application/octet-stream";

    private MediaTypes() {}

    /**
     * Whether a Content-Type header names JSON: {@code application/json}, optionally with a UTF-8 charset parameter
     * (JSON is UTF-8; RFC 8259) and other parameters. Case-insensitive.
     */
    public static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(JSON)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }
}
