package io.vireo.common;

/**
 * The closed set of error codes that Vireo reports to callers. Each code carries the HTTP status that the REST API
 * answers with, so that every layer agrees on whose fault an error is.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    /**
     * A create that would take its project past a quota limit (403, as Nova, GCE and Kubernetes answer);
     * {@code details} name the resource, its limit, what is used and what was requested.
     */
    QUOTA_EXCEEDED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    ALREADY_EXISTS(409),
    CONFLICT(409),
    NO_VALID_HOST(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    /** An idempotency key sent again with another request than the one it was first used for. */
    IDEMPOTENCY_KEY_REUSED(422),
    /** A credential sent more requests than its rate limit allows; {@code details.retryAfterSeconds} says when to retry. */
    TOO_MANY_REQUESTS(429),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
