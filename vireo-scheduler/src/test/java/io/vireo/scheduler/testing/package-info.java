/** Test support: host and request builders, seeded generators of clusters and requests, a plugin harness, an oracle. */
@NullMarked
package io.vireo.scheduler.testing;

import org.jspecify.annotations.NullMarked;
