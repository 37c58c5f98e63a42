/**
 * Who is calling: {@link io.vireo.api.auth.TokenAuthenticator} turns a bearer token into the caller's request context.
 */
@NullMarked
package io.vireo.api.auth;

import org.jspecify.annotations.NullMarked;
