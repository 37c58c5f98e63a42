package io.vireo.scheduler.framework;

import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.plugins.hoststate.HostStateFilter;
import io.vireo.scheduler.snapshot.IntColumn;
import io.vireo.scheduler.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's recipe for an out-of-tree plugin, kept honest. */
class CustomPluginTest {
    /** Rejects hosts with more than a few recent failures. */
    static final class FlakyHostFilter implements FilterPlugin {
        static final String NAME = "FlakyHost";
        private static final Status FLAKY = Status.unschedulable(NAME, "too many recent failures");

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Status filter(CycleState state, int host) {
            return state.snapshot().recentFailures(host) > 2 ? FLAKY : Status.SUCCESS;
        }

        @Override
        public int retainFeasible(CycleState state, int[] hosts, int count) {
            IntColumn failures = state.snapshot().recentFailuresColumn();
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int host = hosts[i];
                hosts[kept] = host;
                kept += failures.get(host) > 2 ? 0 : 1;
            }
            return kept;
        }
    }

    @Test
    void aRegisteredPluginRunsInAProfileAndExplainsItself() {
        PluginRegistry registry = InTreePlugins.registry().toBuilder()
                .register(FlakyHostFilter.NAME, FlakyHostFilter::new)
                .build();
        Profile profile = new Profile(
                "careful", List.of(PluginSpec.of(HostStateFilter.NAME), PluginSpec.of(FlakyHostFilter.NAME)));
        SchedulingFramework framework = SchedulingFramework.create(profile, registry, SchedulerSettings.DEFAULT);

        var outcome = framework.place(
                snapshot(host("a").recentFailures(3), host("b").recentFailures(5)),
                request().build(),
                Seeds.random(1));

        assertThat(outcome).isInstanceOf(PlacementOutcome.Unschedulable.class);
        assertThat(((PlacementOutcome.Unschedulable) outcome).explanation().text())
                .isEqualTo("no valid host among 2 hosts: FlakyHost: 2 hosts (too many recent failures)");
    }
}
