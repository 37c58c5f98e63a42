/** The ResourceFit filter: a host must have room for every resource class, within its allocation ratio. */
@NullMarked
package io.vireo.scheduler.plugins.resourcefit;

import org.jspecify.annotations.NullMarked;
