package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * An error the server reported: an HTTP status of 400 or more with the body
 * {@code {"error":{"code":"...","message":"...","details":{...}}}}. The code is kept as the server sent it.
 */
public final class ApiException extends CliException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final transient JsonNode details;

    public ApiException(int httpStatus, String code, String message, JsonNode details) {
        super(code, message, null);
        this.httpStatus = httpStatus;
        this.details = requireNonNull(details, "details is null");
    }

    public ApiException(int httpStatus, String code, String message) {
        this(httpStatus, code, message, NullNode.getInstance());
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code details} object of the error body, or a JSON null when there was none. */
    public JsonNode details() {
        return details;
    }

    public boolean notFound() {
        return httpStatus == 404;
    }

    @Override
    public String describe() {
        return getMessage() + " (" + code() + ")";
    }
}
