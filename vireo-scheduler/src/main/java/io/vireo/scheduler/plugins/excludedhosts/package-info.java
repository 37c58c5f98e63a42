/** The ExcludedHosts filter: hosts the request names are never chosen (such as the one a VM is leaving). */
@NullMarked
package io.vireo.scheduler.plugins.excludedhosts;

import org.jspecify.annotations.NullMarked;
