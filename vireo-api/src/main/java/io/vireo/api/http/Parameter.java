package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A path, query or header parameter of an operation. For query parameters the description is also the rule: the
 * dispatcher rejects a request whose query parameters are undeclared, repeated or outside {@link #schema}.
 */
public record Parameter(String name, Location location, String description, boolean required, Schema schema) {
    /** The longest text any parameter may have unless it says otherwise. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    public Parameter {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(description, "description is null");
        requireNonNull(schema, "schema is null");
        if (location == Location.PATH && !required) {
            throw new IllegalArgumentException("path parameters are required: " + name);
        }
    }

    public static Parameter path(String name, String description) {
        return new Parameter(name, Location.PATH, description, true, new TextSchema(DEFAULT_MAX_LENGTH, List.of()));
    }

    public static Parameter query(String name, String description) {
        return new Parameter(name, Location.QUERY, description, false, new TextSchema(DEFAULT_MAX_LENGTH, List.of()));
    }

    public static Parameter queryOneOf(String name, String description, List<String> allowedValues) {
        return new Parameter(
                name, Location.QUERY, description, false, new TextSchema(DEFAULT_MAX_LENGTH, allowedValues));
    }

    public static Parameter queryInteger(String name, String description, long minimum, long maximum, long fallback) {
        return new Parameter(name, Location.QUERY, description, false, new IntegerSchema(minimum, maximum, fallback));
    }

    public static Parameter header(String name, String description, int maxLength) {
        return new Parameter(name, Location.HEADER, description, false, new TextSchema(maxLength, List.of()));
    }

    /** Where a parameter is sent. */
    public enum Location {
        PATH,
        QUERY,
        HEADER
    }

    /** The values a parameter takes. */
    public sealed interface Schema permits TextSchema, IntegerSchema {}

    /** Text of 1 to {@code maxLength} characters; one of {@code allowedValues} unless that is empty. */
    public record TextSchema(int maxLength, List<String> allowedValues) implements Schema {
        public TextSchema {
            allowedValues = List.copyOf(allowedValues);
            if (maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be positive");
            }
        }
    }

    /** A decimal integer within {@code minimum..maximum}; {@code fallback} when absent. */
    public record IntegerSchema(long minimum, long maximum, long fallback) implements Schema {
        public IntegerSchema {
            if (minimum > maximum || fallback < minimum || fallback > maximum) {
                throw new IllegalArgumentException("need minimum <= fallback <= maximum");
            }
        }
    }
}
