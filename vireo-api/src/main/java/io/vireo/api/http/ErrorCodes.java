package io.vireo.api.http;

import io.vireo.common.ErrorCode;

/** Error codes for HTTP statuses that come from Javalin or Jetty rather than from Vireo. */
final class ErrorCodes {
    private ErrorCodes() {}

    /** The code with that status (CONFLICT for 409), else INVALID_ARGUMENT for a 4xx and INTERNAL for anything else. */
    static ErrorCode forStatus(int status) {
        if (status == ErrorCode.CONFLICT.httpStatus()) {
            return ErrorCode.CONFLICT; // not ALREADY_EXISTS, which shares the status but says more than we know
        }
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code;
            }
        }
        return status >= 400 && status < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL;
    }
}
