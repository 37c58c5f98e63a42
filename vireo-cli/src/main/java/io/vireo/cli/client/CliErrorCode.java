package io.vireo.cli.client;

/**
 * Failures the client detects itself, as opposed to the error codes the server reports (which {@link ApiException}
 * carries verbatim, since the server may add codes this client does not know).
 */
public enum CliErrorCode {
    /** No server URL could be found, or a URL, token or data-directory file is unusable. */
    NOT_CONFIGURED,
    /** No connection could be opened (refused, or connecting timed out): the request did not reach the server. */
    UNREACHABLE,
    /** The connection failed after it was opened: the request may or may not have reached the server. */
    CONNECTION_FAILED,
    /** The server did not answer within the request timeout. */
    TIMEOUT,
    /** The server answered with something that is not the documented JSON. */
    INVALID_RESPONSE,
    /** A VM did not reach the state a {@code --wait} expected, or not in time. */
    WAIT_FAILED,
    /** The thread was interrupted while waiting for the server. */
    INTERRUPTED;

    /** Failures after which the same request might succeed, without knowing whether the first one took effect. */
    public boolean transientTransport() {
        return this == CONNECTION_FAILED || this == TIMEOUT;
    }
}
