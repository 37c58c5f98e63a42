package io.vireo.api.http;

import io.javalin.http.Context;
import java.util.Map;

/**
 * Headers on every response, including errors: the API serves JSON to programs, so nothing of it may be sniffed as
 * another type, framed, cached or used as a page's script source, and no referrer leaks from it. (HSTS comes with TLS,
 * which this server does not terminate yet.)
 */
public final class SecurityHeaders {
    static final Map<String, String> HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        HEADERS.forEach(ctx::header);
    }
}
