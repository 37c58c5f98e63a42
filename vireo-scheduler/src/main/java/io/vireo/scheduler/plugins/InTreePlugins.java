package io.vireo.scheduler.plugins;

import io.vireo.scheduler.framework.PluginRegistry;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
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

/** The plugins that ship with Vireo, registered under their {@code NAME}s. */
public final class InTreePlugins {
    private InTreePlugins() {}

    /** A registry of every in-tree plugin; add out-of-tree ones with {@link PluginRegistry#toBuilder()}. */
    public static PluginRegistry registry() {
        return PluginRegistry.builder()
                .register(HostStateFilter.NAME, HostStateFilter::new)
                .register(ExcludedHostsFilter.NAME, ExcludedHostsFilter::new)
                .register(RequiredHostFilter.NAME, RequiredHostFilter::new)
                .register(AvailabilityZoneFilter.NAME, AvailabilityZoneFilter::new)
                .register(AggregateFilter.NAME, AggregateFilter::new)
                .register(TraitsFilter.NAME, TraitsFilter::new)
                .register(ResourceFitFilter.NAME, ResourceFitFilter::new)
                .register(ServerGroupAffinityPlugin.NAME, ServerGroupAffinityPlugin::new)
                .register(SpreadScorer.NAME, SpreadScorer::new)
                .register(PackScorer.NAME, PackScorer::new)
                .register(BalancedResourcesScorer.NAME, BalancedResourcesScorer::new)
                .register(DotProductScorer.NAME, DotProductScorer::new)
                .register(AvoidRecentFailuresScorer.NAME, AvoidRecentFailuresScorer::new)
                .build();
    }

    /** A framework running the profile {@code settings} names, from the in-tree plugins. */
    public static SchedulingFramework framework(SchedulerSettings settings) {
        return SchedulingFramework.create(DefaultProfiles.named(settings.profile()), registry(), settings);
    }
}
