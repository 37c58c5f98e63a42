@NullMarked
package io.vireo.agent.qemu;

import org.jspecify.annotations.NullMarked;
