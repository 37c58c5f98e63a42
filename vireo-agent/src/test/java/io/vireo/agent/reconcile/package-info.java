@NullMarked
package io.vireo.agent.reconcile;

import org.jspecify.annotations.NullMarked;
