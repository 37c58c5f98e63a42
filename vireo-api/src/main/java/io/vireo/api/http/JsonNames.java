package io.vireo.api.http;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How enum constants appear in JSON: their {@link JsonProperty} name if they have one, else their Java name. */
public final class JsonNames {
    private JsonNames() {}

    public static String of(Enum<?> constant) {
        try {
            JsonProperty property =
                    constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property == null || property.value().isEmpty() ? constant.name() : property.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("an enum constant is a public field: " + constant, e);
        }
    }
}
