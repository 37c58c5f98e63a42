package io.vireo.common;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An expected failure that reaches the caller: it carries an {@link ErrorCode}, a message fit for a person and
 * structured details fit for a program. Never carries a stack trace to the caller.
 */
public class VireoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Map<String, Object> details;

    public VireoException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public VireoException(ErrorCode code, String message, Map<String, Object> details) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static VireoException invalid(String message) {
        return new VireoException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static VireoException invalid(String field, String message) {
        return new VireoException(ErrorCode.INVALID_ARGUMENT, field + ": " + message, Map.of("field", field));
    }

    public static VireoException notFound(String kind, String name) {
        return new VireoException(
                ErrorCode.NOT_FOUND, kind + " '" + name + "' not found", Map.of("kind", kind, "name", name));
    }

    public static VireoException alreadyExists(String kind, String name) {
        return new VireoException(
                ErrorCode.ALREADY_EXISTS, kind + " '" + name + "' already exists", Map.of("kind", kind, "name", name));
    }

    public static VireoException conflict(String message) {
        return new VireoException(ErrorCode.CONFLICT, message);
    }
}
