package io.vireo.scheduler.plugins;

import io.vireo.common.VireoException;
import io.vireo.scheduler.framework.PluginSpec;
import io.vireo.scheduler.framework.Profile;
import io.vireo.scheduler.plugins.aggregate.AggregateFilter;
import io.vireo.scheduler.plugins.availabilityzone.AvailabilityZoneFilter;
import io.vireo.scheduler.plugins.balancedresources.BalancedResourcesScorer;
import io.vireo.scheduler.plugins.dotproduct.DotProductScorer;
import io.vireo.scheduler.plugins.excludedhosts.ExcludedHostsFilter;
import io.vireo.scheduler.plugins.hoststate.HostStateFilter;
import io.vireo.scheduler.plugins.pack.PackScorer;
import io.vireo.scheduler.plugins.recentfailures.AvoidRecentFailuresScorer;
import io.vireo.scheduler.plugins.requiredhost.RequiredHostFilter;
import io.vireo.scheduler.plugins.resourcefit.ResourceFitFilter;
import io.vireo.scheduler.plugins.servergroup.ServerGroupAffinityPlugin;
import io.vireo.scheduler.plugins.spread.SpreadScorer;
import io.vireo.scheduler.plugins.traits.TraitsFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The named profiles. All share the filters, in this order: HostState, ExcludedHosts, RequiredHost, AvailabilityZone,
 * Aggregate, Traits, ResourceFit, ServerGroupAffinity (so a DOWN host is blamed on its state, not on its free memory).
 * They differ in scoring:
 *
 * <ul>
 *   <li>{@code default}: Spread 1, BalancedResources 1, soft server-group rules 2, AvoidRecentFailures 2;
 *   <li>{@code spread}: Spread 4, BalancedResources 1, soft server-group rules 2, AvoidRecentFailures 2;
 *   <li>{@code pack}: Pack 4, DotProduct 2, BalancedResources 1, soft server-group rules 2, AvoidRecentFailures 2.
 * </ul>
 */
public final class DefaultProfiles {
    public static final String DEFAULT = "default";
    public static final String SPREAD = "spread";
    public static final String PACK = "pack";

    private DefaultProfiles() {}

    public static List<Profile> all() {
        return List.of(named(DEFAULT), named(SPREAD), named(PACK));
    }

    /** The profile {@code name}; INVALID_ARGUMENT if there is none. */
    public static Profile named(String name) {
        return switch (name) {
            case DEFAULT ->
                profile(DEFAULT, PluginSpec.of(SpreadScorer.NAME, 1), PluginSpec.of(BalancedResourcesScorer.NAME, 1));
            case SPREAD ->
                profile(SPREAD, PluginSpec.of(SpreadScorer.NAME, 4), PluginSpec.of(BalancedResourcesScorer.NAME, 1));
            case PACK ->
                profile(
                        PACK,
                        PluginSpec.of(PackScorer.NAME, 4),
                        PluginSpec.of(DotProductScorer.NAME, 2),
                        PluginSpec.of(BalancedResourcesScorer.NAME, 1));
            default ->
                throw VireoException.invalid(
                        "profile", "no profile '" + name + "'; known: " + DEFAULT + ", " + SPREAD + ", " + PACK);
        };
    }

    private static Profile profile(String name, PluginSpec... scorers) {
        List<PluginSpec> plugins = new ArrayList<>(List.of(
                PluginSpec.of(HostStateFilter.NAME),
                PluginSpec.of(ExcludedHostsFilter.NAME),
                PluginSpec.of(RequiredHostFilter.NAME),
                PluginSpec.of(AvailabilityZoneFilter.NAME),
                PluginSpec.of(AggregateFilter.NAME),
                PluginSpec.of(TraitsFilter.NAME),
                PluginSpec.of(ResourceFitFilter.NAME),
                PluginSpec.of(ServerGroupAffinityPlugin.NAME, 2)));
        plugins.addAll(List.of(scorers));
        plugins.add(PluginSpec.of(AvoidRecentFailuresScorer.NAME, 2));
        return new Profile(name, plugins);
    }
}
