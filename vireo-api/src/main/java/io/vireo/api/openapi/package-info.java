/**
 * The OpenAPI 3.1 document, built from the route descriptions and the JSON records.
 */
@NullMarked
package io.vireo.api.openapi;

import org.jspecify.annotations.NullMarked;
