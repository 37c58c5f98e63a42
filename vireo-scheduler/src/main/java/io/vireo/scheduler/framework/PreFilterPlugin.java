package io.vireo.scheduler.framework;

/**
 * Runs once per request (once for a whole gang) before any host is looked at: compiles the request against the
 * snapshot's catalogs into {@link CycleState} for the plugin's Filter or Score.
 *
 * <p>May depend on the request and on what claims do not change (catalogs, traits, zones, aggregates), not on free
 * amounts, which change between the members of a gang.
 */
public interface PreFilterPlugin extends Plugin {
    /**
     * SUCCESS; SKIP when this plugin's Filter has nothing to check for this request; UNSCHEDULABLE when no host can
     * fit (such as a trait no host has), which ends the placement with every host rejected by this plugin.
     */
    Status preFilter(CycleState state);
}
