/** The RequiredHost filter: a request that names the one host it needs (such as a volume's) gets only that host. */
@NullMarked
package io.vireo.scheduler.plugins.requiredhost;

import org.jspecify.annotations.NullMarked;
