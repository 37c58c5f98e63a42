/**
 * Vireo's REST API v1: {@link io.vireo.api.ApiServer} serves the controller's operations over HTTP (Javalin) as JSON,
 * with bearer-token authentication, strict validation at the edge and one error shape.
 */
@NullMarked
package io.vireo.api;

import org.jspecify.annotations.NullMarked;
