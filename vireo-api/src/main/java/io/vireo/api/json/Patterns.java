package io.vireo.api.json;

/** Regular expressions quoted in the OpenAPI document; the checks themselves are {@link io.vireo.common.Names}. */
public final class Patterns {
    /** The rule of {@link io.vireo.common.Names}: a DNS label of lower-case letters, digits and inner hyphens. */
    public static final String NAME = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    private Patterns() {}
}
