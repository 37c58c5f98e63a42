package io.vireo.api.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a JSON record or one of its fields in the OpenAPI document. {@code pattern}, {@code minimum} and
 * {@code maximum} describe rules that the record's constructor or the controller enforce; they do not enforce anything
 * themselves.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT})
public @interface Doc {
    /** What the record or field means. */
    String value();

    /** A regular expression the value matches, or empty. */
    String pattern() default "";

    /** The smallest value of an integer field, or {@link Long#MIN_VALUE} for none. */
    long minimum() default Long.MIN_VALUE;

    /** The largest value of an integer field, or {@link Long#MAX_VALUE} for none. */
    long maximum() default Long.MAX_VALUE;
}
