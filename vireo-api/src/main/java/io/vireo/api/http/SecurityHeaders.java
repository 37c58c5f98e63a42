package io.vireo.api.http;

import io.javalin.http.Context;
import java.util.Map;

/**
 * Headers on every response, including errors: the API serves JSON to programs, so nothing of it may be sniffed as
 * another type, framed, cached or used as a page's script source, and no referrer leaks from it. Over TLS, HSTS tells
 * browsers to keep to HTTPS for a year (without {@code includeSubDomains}: the server may be reached by an address,
 * and its name's siblings are not its to speak for).
 */
public final class SecurityHeaders {
    static final Map<String, String> HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    static final String HSTS_HEADER = "Strict-Transport-Security";
    static final String HSTS = "max-age=31536000";

    private SecurityHeaders() {}

    /** @param tls whether the API is served over TLS: then HSTS too */
    public static void apply(Context ctx, boolean tls) {
        HEADERS.forEach(ctx::header);
        if (tls) {
            ctx.header(HSTS_HEADER, HSTS);
        }
    }
}
