package io.vireo.api.http;

import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A successful response: status, JSON body (null for none) and extra headers. */
public record ApiResponse(int status, @Nullable Object body, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("errors are thrown, not returned: " + status);
        }
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }

    public static ApiResponse accepted(Object body, String location) {
        return new ApiResponse(202, body, Map.of("Location", location));
    }

    /** Bytes streamed from {@code stream} (closed once written), {@code lengthBytes} long. */
    public record BinaryBody(InputStream stream, long lengthBytes) {}

    public static ApiResponse binary(InputStream stream, long lengthBytes, Map<String, String> headers) {
        return new ApiResponse(200, new BinaryBody(stream, lengthBytes), headers);
    }

    /** Text of a media type other than JSON, such as Prometheus's exposition format. */
    public record TextBody(String contentType, String text) {
        public TextBody {
            java.util.Objects.requireNonNull(contentType, "contentType is null");
            java.util.Objects.requireNonNull(text, "text is null");
        }
    }

    public static ApiResponse text(String contentType, String text) {
        return new ApiResponse(200, new TextBody(contentType, text), Map.of());
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
