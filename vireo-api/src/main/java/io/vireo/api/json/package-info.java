/**
 * The JSON documents of the API as records: what the server writes and the request bodies it accepts. Their record
 * components are the wire fields, in order.
 */
@NullMarked
package io.vireo.api.json;

import org.jspecify.annotations.NullMarked;
