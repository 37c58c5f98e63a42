/**
 * The in-tree plugins ({@link io.vireo.scheduler.plugins.InTreePlugins}), the named profiles built from them
 * ({@link io.vireo.scheduler.plugins.DefaultProfiles}) and {@link io.vireo.scheduler.plugins.FrameworkScheduler}, the
 * {@link io.vireo.scheduler.Scheduler} on top of the framework. Each plugin lives in its own package.
 */
@NullMarked
package io.vireo.scheduler.plugins;

import org.jspecify.annotations.NullMarked;
