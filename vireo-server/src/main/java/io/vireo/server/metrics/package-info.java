/**
 * The server's Prometheus metrics (ADR 21): the registry and what reports into it from the edges of the composition
 * root (the scheduler, the event and audit logs, the API, the store's pool), and the cluster's figures read at scrape
 * time.
 */
@NullMarked
package io.vireo.server.metrics;

import org.jspecify.annotations.NullMarked;
