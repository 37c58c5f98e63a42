/**
 * The agent's Prometheus metrics (ADR 21): its VMs' resource counters from the latest samples, served on the agent's
 * own {@code /metrics} to scrapes that present the token whose hash the server handed over.
 */
@NullMarked
package io.vireo.agent.metrics;

import org.jspecify.annotations.NullMarked;
