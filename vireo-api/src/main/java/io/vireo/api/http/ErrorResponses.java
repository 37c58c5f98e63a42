package io.vireo.api.http;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.vireo.api.json.ErrorJson;
import io.vireo.api.json.ErrorResponseJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.common.logging.Correlation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every failure in the one error shape {@code {"error":{"code","message","details"}}} with the status of its
 * {@link ErrorCode}. Expected failures carry their own message; anything unexpected is logged with the request's
 * correlation id and answered with a generic INTERNAL error, never with a stack trace. Thread-safe.
 */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private final JsonCodec json;
    private final CorrelationIds correlationIds;

    public ErrorResponses(JsonCodec json, CorrelationIds correlationIds) {
        this.json = requireNonNull(json, "json is null");
        this.correlationIds = requireNonNull(correlationIds, "correlationIds is null");
    }

    public void write(Context ctx, VireoException failure) {
        String correlationId = correlationIds.of(ctx);
        Correlation.run(
                correlationId,
                () -> log.debug("{} {} -> {} {}", ctx.method(), ctx.path(), failure.code(), failure.getMessage()));
        if (failure.code() == ErrorCode.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"vireo\"");
        }
        if (failure.code() == ErrorCode.TOO_MANY_REQUESTS
                && failure.details().get("retryAfterSeconds") instanceof Long seconds) {
            ctx.header("Retry-After", Long.toString(seconds));
        }
        ctx.status(failure.code().httpStatus())
                .contentType(MediaTypes.JSON)
                .result(json.write(body(failure.code(), message(failure), failure.details())));
    }

    /** Javalin's own failures: no route (404), wrong method (405) and the like. */
    public void write(Context ctx, HttpResponseException failure) {
        write(ctx, translate(ctx, failure));
    }

    public void writeUnexpected(Context ctx, Exception failure) {
        String correlationId = correlationIds.of(ctx);
        Correlation.run(
                correlationId,
                () -> log.error(
                        "{} {} failed unexpectedly [correlation id {}]",
                        ctx.method(),
                        ctx.path(),
                        correlationId,
                        failure));
        ctx.status(ErrorCode.INTERNAL.httpStatus())
                .contentType(MediaTypes.JSON)
                .result(json.write(internal(correlationId)));
    }

    /** For a {@link java.lang.Error}, which Javalin hands over with the bare servlet response. */
    public void writeUnexpected(HttpServletResponse response, Error failure) {
        log.error("a request failed with an error", failure);
        try {
            response.setStatus(ErrorCode.INTERNAL.httpStatus());
            response.setContentType(MediaTypes.JSON);
            response.getOutputStream().write(json.write(internal(null)));
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the error response", e);
        }
    }

    private static ErrorResponseJson internal(@org.jspecify.annotations.Nullable String correlationId) {
        String message = "internal error; the server log has the details"
                + (correlationId == null ? "" : " under correlation id " + correlationId);
        return body(ErrorCode.INTERNAL, message, Map.of());
    }

    private static ErrorResponseJson body(ErrorCode code, String message, Map<String, Object> details) {
        return new ErrorResponseJson(new ErrorJson(code.name(), message, details));
    }

    private static VireoException translate(Context ctx, HttpResponseException failure) {
        String route = ctx.method() + " " + ctx.path();
        Map<String, Object> details = new LinkedHashMap<>(failure.getDetails());
        return switch (failure.getStatus()) {
            case 404 -> new VireoException(ErrorCode.NOT_FOUND, "no such route: " + route, Map.of("path", ctx.path()));
            case 405 -> new VireoException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: " + route, details);
            default -> {
                ErrorCode code = ErrorCodes.forStatus(failure.getStatus());
                yield new VireoException(code, requireNonNullElse(failure.getMessage(), code.name()), details);
            }
        };
    }

    private static String message(VireoException failure) {
        return requireNonNullElse(failure.getMessage(), failure.code().name());
    }
}
