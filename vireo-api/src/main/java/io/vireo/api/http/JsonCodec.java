package io.vireo.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * JSON in and out, strictly: a request body must be a JSON object (not {@code null}, an array, a string, a number or a
 * boolean) and must match its record exactly (no unknown or duplicate fields, no missing or null fields, no coercion between strings, numbers and booleans, no fractions or out-of-range numbers for integers
 * (an integer is a number, though),
 * nothing after the document). Every rejection is an {@link io.vireo.common.ErrorCode#INVALID_ARGUMENT} error that
 * names the field. The one exception: a request record's JSpecify {@code @Nullable} component may be left out or be
 * null, and is then null. Timestamps are written as ISO-8601 strings. Thread-safe.
 */
public final class JsonCodec {
    /** The request bodies of this API are flat; anything deeper is not ours. */
    public static final int MAX_NESTING_DEPTH = 16;

    /** Enough digits for any long; longer numbers are rejected before they are parsed. */
    public static final int MAX_NUMBER_LENGTH = 32;

    /** Why a body that is JSON, but not an object, is refused. */
    public static final String NOT_AN_OBJECT = "the request body must be a JSON object";

    private static final LogicalType[] SCALARS = {
        LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Enum
    };

    private final ObjectMapper mapper = strictMapper(true);
    /** The strict mapper, except that creator properties may be missing or null: for records with optional fields. */
    private final ObjectMapper optionalFieldsMapper = strictMapper(false);

    /** The configured mapper, for building JSON trees; do not reconfigure it. */
    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads a whole request body as {@code type}; throws an INVALID_ARGUMENT error saying what is wrong. Every request
     * body of this API is an object: anything else (a literal {@code null} included, which Jackson would bind to a
     * null record) is refused here, before any binding, for every route alike.
     */
    public <T> T read(byte[] body, Class<T> type) {
        try {
            requireObject(body);
            if (type.isRecord() && hasOptionalComponents(type)) {
                JsonNode tree = mapper.readTree(body);
                requirePresent(tree, type);
                return optionalFieldsMapper.treeToValue(tree, type);
            }
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw rejection(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a JSON body held in memory", e);
        }
    }

    /** Refuses a body whose first token does not open an object; a malformed one fails as malformed JSON. */
    private void requireObject(byte[] body) throws IOException {
        try (JsonParser parser = mapper.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw VireoException.invalid(NOT_AN_OBJECT);
            }
        }
    }

    private static boolean hasOptionalComponents(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).anyMatch(JsonCodec::optional);
    }

    /** A JSpecify {@code @Nullable} component may be missing or null. */
    public static boolean optional(RecordComponent component) {
        return component.getAnnotatedType().isAnnotationPresent(Nullable.class);
    }

    /** Checks that an object has every component that is not optional, and that none of them is null. */
    private static void requirePresent(@Nullable JsonNode tree, Class<?> type) {
        if (tree == null || !tree.isObject()) {
            return; // the binding says what is wrong
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (optional(component)) {
                continue;
            }
            JsonNode value = tree.get(component.getName());
            if (value == null) {
                throw VireoException.invalid(component.getName(), "is required");
            }
            if (value.isNull()) {
                throw VireoException.invalid(component.getName(), "must not be null");
            }
        }
    }

    private static ObjectMapper strictMapper(boolean everyFieldRequired) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .enable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, everyFieldRequired)
                .configure(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES, everyFieldRequired)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .withCoercionConfigDefaults(config -> config.setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        for (LogicalType scalar : SCALARS) {
            builder.withCoercionConfig(scalar, config -> {
                for (CoercionInputShape shape : CoercionInputShape.values()) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
            });
        }
        // A number field takes an integer too: an allocation ratio of 4 is 4.0. (The other way round stays refused.)
        builder.withCoercionConfig(
                LogicalType.Float, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert));
        return builder.build();
    }

    private static VireoException rejection(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException && cause instanceof VireoException invalid) {
            return invalid; // a record's own validation, already naming the field
        }
        if (e instanceof StreamConstraintsException || cause instanceof StreamConstraintsException) {
            return VireoException.invalid("request body is nested too deeply or has a number that is too long");
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return malformed(e, e.getOriginalMessage());
        }
        String field = fieldPath(mapping);
        if (cause instanceof InputCoercionException) {
            return VireoException.invalid(field, "number out of range");
        }
        if (cause instanceof StreamReadException parse) {
            return malformed(parse, parse.getOriginalMessage());
        }
        String message = mapping.getOriginalMessage();
        if (message.startsWith("Trailing token")) {
            return malformed(e, "unexpected content after the JSON document");
        }
        if (field.isEmpty()) {
            return VireoException.invalid(NOT_AN_OBJECT);
        }
        return fieldRejection(mapping, field, message);
    }

    private static VireoException fieldRejection(JsonMappingException mapping, String field, String message) {
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            return VireoException.invalid(field, "unknown field; expected " + names(unknown.getKnownPropertyIds()));
        }
        if (message.startsWith("Missing creator property")) {
            return VireoException.invalid(field, "is required");
        }
        if (mapping instanceof InvalidNullException
                || message.startsWith("Null value for creator property")
                || message.startsWith("Cannot map `null`")) {
            return VireoException.invalid(field, "must not be null");
        }
        Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (mapping instanceof InvalidFormatException && target != null && target.isEnum()) {
            return VireoException.invalid(field, "must be one of " + enumNames(target));
        }
        return VireoException.invalid(field, "must be " + describe(target));
    }

    private static VireoException malformed(JsonProcessingException e, String reason) {
        JsonLocation location = e.getLocation();
        String where =
                location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new VireoException(
                ErrorCode.INVALID_ARGUMENT,
                "malformed JSON" + where + ": " + firstLine(reason),
                location == null ? Map.of() : Map.of("line", location.getLineNr(), "column", location.getColumnNr()));
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("unreadable");
    }

    /** The dotted path of the field a mapping error is about, e.g. {@code capacity.vcpus} or {@code items[2]}. */
    static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(@Nullable Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == long.class || target == Long.class || target == int.class || target == Integer.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target.isEnum()) {
            return "one of " + enumNames(target);
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> JsonNames.of((Enum<?>) constant))
                .collect(Collectors.joining(", "));
    }

    private static String names(@Nullable Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "no fields";
        }
        List<String> sorted = known.stream().map(String::valueOf).sorted().toList();
        return "one of " + String.join(", ", sorted);
    }
}
