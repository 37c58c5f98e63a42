/**
 * Vireo's control loops and services: VM lifecycle, placement, agent sessions, events. Defines the ports it needs
 * (store, agent channel) and imports no JDBC, HTTP, gRPC or QEMU class.
 */
@NullMarked
package io.vireo.controller;

import org.jspecify.annotations.NullMarked;
