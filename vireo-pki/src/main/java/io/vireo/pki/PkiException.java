package io.vireo.pki;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;

/**
 * A certificate, request or key that cannot be used: malformed, wrongly signed, or sealed with another key. The code
 * is INVALID_ARGUMENT for input a peer sent and INTERNAL for a failure of this process's own material.
 */
public final class PkiException extends VireoException {
    private static final long serialVersionUID = 1L;

    public PkiException(ErrorCode code, String message) {
        super(code, message);
    }

    public PkiException(ErrorCode code, String message, Throwable cause) {
        super(code, message);
        initCause(cause);
    }

    static PkiException invalid(String message, Throwable cause) {
        return new PkiException(ErrorCode.INVALID_ARGUMENT, message, cause);
    }

    static PkiException internal(String message, Throwable cause) {
        return new PkiException(ErrorCode.INTERNAL, message, cause);
    }
}
