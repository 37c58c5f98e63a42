package io.vireo.api.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.api.http.JsonCodec;
import io.vireo.api.http.JsonNames;
import io.vireo.api.json.Doc;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * JSON Schemas (OpenAPI 3.1 dialect) of the API's JSON records, read from the records themselves: every component is a
 * required property, in declaration order; JSpecify {@code @Nullable} components may be null; {@link Doc} adds
 * descriptions and documented bounds. Records become named components under {@code #/components/schemas}, named after
 * the record without its {@code Json} suffix. Not thread-safe: build one document at a time.
 */
final class SchemaGenerator {
    private static final String REF_PREFIX = "#/components/schemas/";
    private static final String SUFFIX = "Json";

    private final ObjectMapper mapper;
    private final ObjectNode components;

    SchemaGenerator(ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.components = mapper.createObjectNode();
    }

    /** The named schemas defined so far. */
    ObjectNode components() {
        return components;
    }

    static String componentName(Class<?> type) {
        String name = type.getSimpleName();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    /** A reference to the record's schema; a request body's schema admits no other properties. */
    ObjectNode ref(Class<? extends Record> type, boolean requestBody) {
        String name = componentName(type);
        if (!components.has(name)) {
            components.putObject(name); // placeholder: a record that refers to itself terminates
            components.set(name, record(type, requestBody));
        }
        return mapper.createObjectNode().put("$ref", REF_PREFIX + name);
    }

    /** A reference to the schema of a page of {@code itemType}: {@code {"items": [...], "nextCursor": ...}}. */
    ObjectNode pageRef(Class<? extends Record> itemType) {
        String name = componentName(itemType) + "Page";
        if (!components.has(name)) {
            ObjectNode page = components.putObject(name);
            page.put("type", "object").put("description", "One page of a list; nextCursor is null on the last page.");
            page.putArray("required").add("items").add("nextCursor");
            ObjectNode properties = page.putObject("properties");
            properties.putObject("items").put("type", "array").set("items", ref(itemType, false));
            ObjectNode cursor = properties.putObject("nextCursor");
            cursor.putArray("type").add("string").add("null");
            cursor.put("description", "Pass as the cursor query parameter to get the next page.");
        }
        return mapper.createObjectNode().put("$ref", REF_PREFIX + name);
    }

    private ObjectNode record(Class<? extends Record> type, boolean requestBody) {
        ObjectNode schema = mapper.createObjectNode().put("type", "object");
        Doc doc = type.getAnnotation(Doc.class);
        if (doc != null) {
            schema.put("description", doc.value());
        }
        ArrayNode required = schema.putArray("required");
        ObjectNode properties = schema.putObject("properties");
        for (RecordComponent component : type.getRecordComponents()) {
            if (!requestBody || !JsonCodec.optional(component)) {
                required.add(component.getName());
            }
            properties.set(component.getName(), property(component, requestBody));
        }
        if (requestBody) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    private ObjectNode property(RecordComponent component, boolean requestBody) {
        AnnotatedType type = component.getAnnotatedType();
        ObjectNode schema = schema(type, requestBody);
        if (type.isAnnotationPresent(Nullable.class)) {
            schema = nullable(schema);
        }
        Doc doc = component.getAnnotation(Doc.class);
        if (doc != null) {
            document(schema, doc);
        }
        return schema;
    }

    private ObjectNode schema(AnnotatedType annotated, boolean requestBody) {
        if (annotated instanceof AnnotatedParameterizedType parameterized
                && parameterized.getType() instanceof java.lang.reflect.ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                ObjectNode array = mapper.createObjectNode().put("type", "array");
                array.set("items", schema(parameterized.getAnnotatedActualTypeArguments()[0], requestBody));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                return mapper.createObjectNode().put("type", "object").put("additionalProperties", true);
            }
        }
        if (!(annotated.getType() instanceof Class<?> type)) {
            throw new IllegalArgumentException("no schema for type " + annotated.getType());
        }
        return scalar(type, requestBody);
    }

    @SuppressWarnings("unchecked") // a record class is a Class<? extends Record>
    private ObjectNode scalar(Class<?> type, boolean requestBody) {
        ObjectNode schema = mapper.createObjectNode();
        if (type == String.class) {
            return schema.put("type", "string");
        }
        if (type == UUID.class) {
            return schema.put("type", "string").put("format", "uuid");
        }
        if (type == Instant.class) {
            return schema.put("type", "string").put("format", "date-time");
        }
        if (type == int.class || type == Integer.class) {
            return schema.put("type", "integer").put("format", "int32");
        }
        if (type == long.class || type == Long.class) {
            return schema.put("type", "integer").put("format", "int64");
        }
        if (type == double.class || type == Double.class) {
            return schema.put("type", "number").put("format", "double");
        }
        if (type == boolean.class || type == Boolean.class) {
            return schema.put("type", "boolean");
        }
        if (type.isEnum()) {
            ArrayNode values = schema.put("type", "string").putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                values.add(JsonNames.of((Enum<?>) constant));
            }
            return schema;
        }
        if (type.isRecord()) {
            return ref((Class<? extends Record>) type, requestBody);
        }
        throw new IllegalArgumentException("no schema for type " + type.getName());
    }

    private ObjectNode nullable(ObjectNode schema) {
        if (schema.has("$ref")) {
            ObjectNode either = mapper.createObjectNode();
            either.putArray("oneOf").add(schema).addObject().put("type", "null");
            return either;
        }
        String type = schema.path("type").asText();
        schema.putArray("type").add(type).add("null");
        if (schema.has("enum")) {
            ((ArrayNode) schema.get("enum")).addNull();
        }
        return schema;
    }

    private static void document(ObjectNode schema, Doc doc) {
        schema.put("description", doc.value());
        if (!doc.pattern().isEmpty()) {
            schema.put("pattern", doc.pattern());
        }
        if (doc.minimum() != Long.MIN_VALUE) {
            schema.put("minimum", doc.minimum());
        }
        if (doc.maximum() != Long.MAX_VALUE) {
            schema.put("maximum", doc.maximum());
        }
    }
}
