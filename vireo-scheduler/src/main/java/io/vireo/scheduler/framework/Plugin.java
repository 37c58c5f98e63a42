package io.vireo.scheduler.framework;

/**
 * A scheduling plugin: a small stateless class at one or more extension points ({@link PreFilterPlugin},
 * {@link FilterPlugin}, {@link ScorePlugin}, {@link ReservePlugin}). Per-request data lives in the {@link CycleState},
 * never in the plugin, so one instance serves every thread.
 */
public interface Plugin {
    /** The plugin's {@code NAME}: how profiles refer to it and explanations name it. */
    String name();
}
