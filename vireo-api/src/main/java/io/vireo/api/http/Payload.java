package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What the body of a successful response holds, for the OpenAPI document. */
public sealed interface Payload {
    /** No body (204). */
    record None() implements Payload {}

    /** One JSON record. */
    record Single(Class<? extends Record> type) implements Payload {
        public Single {
            requireNonNull(type, "type is null");
        }
    }

    /** One of several JSON records, told apart by their fields (OpenAPI {@code oneOf}). */
    record OneOf(List<Class<? extends Record>> types) implements Payload {
        public OneOf {
            types = List.copyOf(types);
            if (types.size() < 2) {
                throw new IllegalArgumentException("oneOf needs at least two types");
            }
        }
    }

    /** A page of records: {@code {"items": [...], "nextCursor": ...}}. */
    record PageOf(Class<? extends Record> itemType) implements Payload {
        public PageOf {
            requireNonNull(itemType, "itemType is null");
        }
    }

    /** A free-form JSON object, such as the OpenAPI document itself. */
    record AnyObject() implements Payload {}

    /** Raw bytes ({@code application/octet-stream}), such as an image's file. */
    record Binary() implements Payload {}

    /** A JSON array of records, such as Prometheus's service-discovery answer. */
    record ListOf(Class<? extends Record> itemType) implements Payload {
        public ListOf {
            requireNonNull(itemType, "itemType is null");
        }
    }

    /** Text in one of these media types, such as Prometheus's exposition formats. */
    record Text(List<String> mediaTypes) implements Payload {
        public Text {
            mediaTypes = List.copyOf(mediaTypes);
            if (mediaTypes.isEmpty()) {
                throw new IllegalArgumentException("text has at least one media type");
            }
        }
    }

    static Payload listOf(Class<? extends Record> itemType) {
        return new ListOf(itemType);
    }

    static Payload text(String... mediaTypes) {
        return new Text(List.of(mediaTypes));
    }

    static Payload binary() {
        return new Binary();
    }

    static Payload none() {
        return new None();
    }

    static Payload of(Class<? extends Record> type) {
        return new Single(type);
    }

    @SafeVarargs
    static Payload oneOf(Class<? extends Record>... types) {
        return new OneOf(List.of(types));
    }

    static Payload pageOf(Class<? extends Record> itemType) {
        return new PageOf(itemType);
    }

    static Payload anyObject() {
        return new AnyObject();
    }
}
