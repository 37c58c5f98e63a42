/** The ServerGroupAffinity plugin: hard and soft affinity and anti-affinity among the members of a server group. */
@NullMarked
package io.vireo.scheduler.plugins.servergroup;

import org.jspecify.annotations.NullMarked;
