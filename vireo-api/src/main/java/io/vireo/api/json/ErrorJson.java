package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

import java.util.Map;

@Doc("What went wrong.")
public record ErrorJson(
        @Doc("A stable, machine-readable code such as NOT_FOUND or INVALID_ARGUMENT.")
        String code,

        @Doc("A sentence for a person.") String message,

        @Doc("Structured facts about the error for a program, e.g. the offending field.")
        Map<String, Object> details) {
    public ErrorJson {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        details = Map.copyOf(details);
    }
}
