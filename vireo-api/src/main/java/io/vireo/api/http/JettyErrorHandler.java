package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import io.vireo.api.json.ErrorJson;
import io.vireo.api.json.ErrorResponseJson;
import io.vireo.common.ErrorCode;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's errors for requests that never reach Javalin (an unparseable request line or URI, oversized headers) in the
 * one error shape instead of Jetty's HTML page. A status that no {@link ErrorCode} has is reported as 400
 * INVALID_ARGUMENT (or 500 INTERNAL) with Jetty's reason in the message. Thread-safe.
 */
public final class JettyErrorHandler extends ErrorHandler {
    private final JsonCodec json;

    public JettyErrorHandler(JsonCodec json) {
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        ErrorCode errorCode = ErrorCodes.forStatus(code);
        response.setStatus(errorCode.httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaTypes.JSON);
        response.write(true, ByteBuffer.wrap(body(errorCode, code, message)), callback);
    }

    private byte[] body(ErrorCode code, int jettyStatus, @Nullable String reason) {
        String message = "the server could not accept the request (HTTP " + jettyStatus + ")"
                + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return json.write(
                new ErrorResponseJson(new ErrorJson(code.name(), message, Map.of("httpStatus", jettyStatus))));
    }
}
