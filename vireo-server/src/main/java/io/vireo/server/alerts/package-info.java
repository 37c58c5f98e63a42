/** Alerts at the server's edge (ADR 24): sending them to Alertmanager-compatible receivers over HTTP. */
@NullMarked
package io.vireo.server.alerts;

import org.jspecify.annotations.NullMarked;
