/**
 * How a Vireo process ({@code vireo server}, {@code up}, {@code agent}) writes its log: text or JSON lines on standard
 * error, and optionally the same lines forwarded to a syslog server (RFC 5424 over TCP, ADR 28). Configured once at
 * start-up by {@link io.vireo.server.logging.LogSetup}.
 */
@NullMarked
package io.vireo.server.logging;

import org.jspecify.annotations.NullMarked;
