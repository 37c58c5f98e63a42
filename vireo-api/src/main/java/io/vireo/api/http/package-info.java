/**
 * The HTTP edge shared by every resource: route descriptions, request dispatch (authentication, correlation ids, query
 * and body checks), strict JSON reading and the one error shape.
 */
@NullMarked
package io.vireo.api.http;

import org.jspecify.annotations.NullMarked;
