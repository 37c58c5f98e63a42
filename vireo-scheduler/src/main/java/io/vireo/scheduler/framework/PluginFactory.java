package io.vireo.scheduler.framework;

/** Makes the plugin registered under a name; plugins are stateless, so a factory may return one shared instance. */
@FunctionalInterface
public interface PluginFactory {
    Plugin create();
}
