package io.vireo.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The JSON conventions of the API as the client reads them: unknown fields are ignored (the server may add fields),
 * missing ones become null. The mapper is configured once and never changed, so sharing it is safe.
 */
public final class WireFormat {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private WireFormat() {}

    /** Reads one API object into a view record; a shape the view cannot hold is an invalid response. */
    public static <T> T read(JsonNode node, Class<T> type) {
        if (!node.isObject()) {
            throw invalid(type, "expected a JSON object, got " + node.getNodeType(), null);
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw invalid(type, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw invalid(type, String.valueOf(e.getMessage()), e);
        }
    }

    private static CliException invalid(Class<?> type, String reason, @Nullable Exception cause) {
        return new CliException(
                CliErrorCode.INVALID_RESPONSE,
                "unexpected " + type.getSimpleName().replace("View", "").toLowerCase(Locale.ROOT) + " from the server: "
                        + reason,
                cause);
    }

    public static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Indented JSON, for {@code -o json}. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
