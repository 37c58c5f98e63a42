package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A failure to report to the user as {@code error: <message>} with exit code 1. Its message is written for a person
 * and never needs a stack trace. {@link #code()} is a {@link CliErrorCode} name, or the server's code for an
 * {@link ApiException}.
 */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public CliException(CliErrorCode code, String message) {
        this(code.name(), message, null);
    }

    public CliException(CliErrorCode code, String message, @Nullable Throwable cause) {
        this(code.name(), message, cause);
    }

    protected CliException(String code, String message, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public String code() {
        return code;
    }

    /** Whether this is the client-side failure {@code expected}. */
    public boolean is(CliErrorCode expected) {
        return code.equals(expected.name());
    }

    /** The text after {@code error: } on standard error. */
    public String describe() {
        return getMessage();
    }

    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage(), "message is null");
    }
}
