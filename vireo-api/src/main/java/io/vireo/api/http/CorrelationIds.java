package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.vireo.common.IdGenerator;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id: the caller's {@value #HEADER} if it is a sane token (1-{@value #MAX_LENGTH}
 * characters of {@code [A-Za-z0-9._-]}, so it can go into logs and events as it is), else a new UUID. The id is echoed
 * in the response header. Thread-safe.
 */
public final class CorrelationIds {
    public static final String HEADER = "X-Correlation-Id";
    public static final int MAX_LENGTH = 64;

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");
    private static final String ATTRIBUTE = "vireo.correlationId";

    private final IdGenerator ids;

    public CorrelationIds(IdGenerator ids) {
        this.ids = requireNonNull(ids, "ids is null");
    }

    public static boolean isSane(String candidate) {
        return SANE.matcher(candidate).matches();
    }

    /** The request's correlation id, assigned (and set on the response) on first use. */
    public String of(Context ctx) {
        String assigned = ctx.attribute(ATTRIBUTE);
        if (assigned != null) {
            return assigned;
        }
        String offered = ctx.header(HEADER);
        String id = offered != null && isSane(offered) ? offered : ids.next().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }
}
