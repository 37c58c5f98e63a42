package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A QMP exchange failed. {@link #kind()} says how; for {@link Kind#COMMAND_FAILED} {@link #errorClass()} carries QEMU's
 * own error class (for example {@code GenericError}, {@code CommandNotFound}, {@code DeviceNotActive}) and the message
 * QEMU's description.
 */
public final class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How a QMP exchange failed. */
    public enum Kind {
        /** The socket could not be opened, or the greeting or capabilities negotiation failed. */
        CONNECT_FAILED,
        /** QEMU answered the command with an error. */
        COMMAND_FAILED,
        /** No answer within the timeout; the connection stays usable and a late answer is dropped. */
        TIMEOUT,
        /** The connection is closed (QEMU exited, or the client was closed). */
        CONNECTION_CLOSED,
        /** Too many commands are waiting for an answer on this connection. */
        TOO_MANY_PENDING,
        /** QEMU sent something that is not QMP. */
        PROTOCOL
    }

    private final Kind kind;
    private final @Nullable String errorClass;

    public QmpException(Kind kind, String message) {
        this(kind, null, message, null);
    }

    public QmpException(Kind kind, String message, @Nullable Throwable cause) {
        this(kind, null, message, cause);
    }

    private QmpException(Kind kind, @Nullable String errorClass, String message, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.errorClass = errorClass;
    }

    /** QEMU refused {@code command}: {@code errorClass} and {@code description} as QEMU sent them. */
    public static QmpException commandFailed(String command, String errorClass, String description) {
        requireNonNull(errorClass, "errorClass is null");
        return new QmpException(Kind.COMMAND_FAILED, errorClass, command + ": " + description, null);
    }

    /** The same failure with a stack trace of the calling thread; the original (the reader thread's) is the cause. */
    QmpException rethrownHere() {
        return new QmpException(kind, errorClass, getMessage(), this);
    }

    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage(), "message is null");
    }

    public Kind kind() {
        return kind;
    }

    /** QEMU's error class, present only for {@link Kind#COMMAND_FAILED}. */
    public Optional<String> errorClass() {
        return Optional.ofNullable(errorClass);
    }
}
