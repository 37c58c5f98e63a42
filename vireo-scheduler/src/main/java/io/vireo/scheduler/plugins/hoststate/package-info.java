/** The HostState filter: only UP hosts take new VMs. */
@NullMarked
package io.vireo.scheduler.plugins.hoststate;

import org.jspecify.annotations.NullMarked;
