package io.vireo.store;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;

/**
 * A failure of the store that is not one of the ports' expected outcomes: the database is unreachable
 * ({@link ErrorCode#UNAVAILABLE}, worth retrying later) or answered in a way the store does not expect
 * ({@link ErrorCode#INTERNAL}). The message is fit for a caller; the cause, for the log.
 */
public final class StoreException extends VireoException {
    private static final long serialVersionUID = 1L;

    public StoreException(ErrorCode code, String message, Throwable cause) {
        super(code, message);
        initCause(cause);
    }

    public StoreException(ErrorCode code, String message) {
        super(code, message);
    }
}
