package io.vireo.api.json;

/** The only body an operation without a request body accepts, besides none: {@code {}}. */
public record EmptyJson() {}
