package io.vireo.agent;

import static java.util.Objects.requireNonNull;

/**
 * The server refused this agent for good (bad or missing credential): reconnecting cannot help.
 *
 * @param code the refusal code, e.g. {@code UNAUTHENTICATED}
 * @param message the server's explanation
 */
public record AgentRefusal(String code, String message) {
    public AgentRefusal {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }
}
