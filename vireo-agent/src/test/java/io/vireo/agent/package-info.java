@NullMarked
package io.vireo.agent;

import org.jspecify.annotations.NullMarked;
