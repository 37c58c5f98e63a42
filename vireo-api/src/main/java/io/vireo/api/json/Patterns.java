package io.vireo.api.json;

/** Regular expressions quoted in the OpenAPI document; the checks themselves are {@link io.vireo.common.Names}. */
public final class Patterns {
    /** The rule of {@link io.vireo.common.Names}: a DNS label of lower-case letters, digits and inner hyphens. */
    public static final String NAME = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    /** The rule for trait and availability zone names (the scheduler's {@code LabelNames}). */
    public static final String LABEL = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    private Patterns() {}
}
