/**
 * A small client of the Vireo REST API ({@code /api/v1}): how to find the server and its token
 * ({@link io.vireo.cli.client.ConnectionResolver}, {@link io.vireo.cli.client.DataDirectory}), the HTTP transport with
 * its error mapping and pagination, and read-only views of the JSON objects. Knows nothing of picocli or of output
 * formatting, so the launcher and benchmarks may use it on its own.
 */
@NullMarked
package io.vireo.cli.client;

import org.jspecify.annotations.NullMarked;
