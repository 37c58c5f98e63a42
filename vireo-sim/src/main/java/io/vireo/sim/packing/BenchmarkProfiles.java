package io.vireo.sim.packing;

import io.vireo.scheduler.framework.PluginSpec;
import io.vireo.scheduler.framework.Profile;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.plugins.dotproduct.DotProductScorer;
import io.vireo.scheduler.plugins.pack.PackScorer;
import java.util.List;

/**
 * The profiles the packing run compares: the three in-tree ones and {@code dotproduct}, a benchmark-only variant of
 * {@code pack} with DotProduct 4 and Pack 1 (instead of Pack 4 and DotProduct 2), to see what Tetris alignment alone
 * buys.
 */
public final class BenchmarkProfiles {
    public static final String DOT_PRODUCT = "dotproduct";

    /** In the order the report lists them. */
    public static final List<String> NAMES =
            List.of(DefaultProfiles.SPREAD, DefaultProfiles.DEFAULT, DefaultProfiles.PACK, DOT_PRODUCT);

    private static final int DOT_PRODUCT_WEIGHT = 4;
    private static final int PACK_WEIGHT = 1;

    private BenchmarkProfiles() {}

    public static SchedulingFramework framework(String name) {
        SchedulerSettings settings = SchedulerSettings.DEFAULT.withProfile(name);
        if (!name.equals(DOT_PRODUCT)) {
            return InTreePlugins.framework(settings);
        }
        List<PluginSpec> plugins = DefaultProfiles.named(DefaultProfiles.PACK).plugins().stream()
                .map(BenchmarkProfiles::reweigh)
                .toList();
        return SchedulingFramework.create(new Profile(DOT_PRODUCT, plugins), InTreePlugins.registry(), settings);
    }

    private static PluginSpec reweigh(PluginSpec spec) {
        return switch (spec.name()) {
            case DotProductScorer.NAME -> PluginSpec.of(spec.name(), DOT_PRODUCT_WEIGHT);
            case PackScorer.NAME -> PluginSpec.of(spec.name(), PACK_WEIGHT);
            default -> spec;
        };
    }
}
