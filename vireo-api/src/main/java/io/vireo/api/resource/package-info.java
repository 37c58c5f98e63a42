/**
 * One handler class per API resource (hosts, flavors, images, VMs, events, system); each declares its routes and maps
 * HTTP to controller calls.
 */
@NullMarked
package io.vireo.api.resource;

import org.jspecify.annotations.NullMarked;
