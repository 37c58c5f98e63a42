/** The AvailabilityZone filter: a request naming zones lands in one of them. */
@NullMarked
package io.vireo.scheduler.plugins.availabilityzone;

import org.jspecify.annotations.NullMarked;
