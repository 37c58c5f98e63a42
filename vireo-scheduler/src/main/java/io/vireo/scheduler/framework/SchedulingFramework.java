package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Places VMs on a {@link ClusterSnapshot} with the plugins of one {@link Profile}: PreFilter once per request, then per
 * VM Filter (over blocks of hosts, in profile order), Score (normalised and weighted), the best total, and Reserve:
 * the framework claims the resources in its working snapshot, then Reserve plugins hold what they track. A gang is
 * all or nothing: when a member finds no host, every member before it is unreserved in reverse order and nothing is
 * returned but the explanation.
 *
 * <p>A pure function of (snapshot, request, random draws): no I/O, no clock. Immutable and thread-safe; each call
 * uses its own {@link CycleState} and workspace (pass one per thread to avoid allocating it per call).
 */
public final class SchedulingFramework {
    private final String profileName;
    private final PreFilterPlugin[] preFilters;
    private final FilterPlugin[] filters;
    private final int[] preFilterOfFilter;
    private final ScorePlugin[] scorers;
    private final ReservePlugin[] reservers;
    private final SchedulerSettings settings;
    private final CycleRunner runner;
    private final Explainer explainer;

    private SchedulingFramework(Profile profile, List<Plugin> plugins, SchedulerSettings settings) {
        this.profileName = profile.name();
        this.settings = settings;
        List<PreFilterPlugin> pre = new ArrayList<>();
        List<FilterPlugin> filter = new ArrayList<>();
        List<Integer> preOfFilter = new ArrayList<>();
        List<ScorePlugin> score = new ArrayList<>();
        List<Double> weight = new ArrayList<>();
        List<ReservePlugin> reserve = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Plugin plugin = plugins.get(i);
            if (plugin instanceof PreFilterPlugin p) {
                pre.add(p);
            }
            if (plugin instanceof FilterPlugin f) {
                filter.add(f);
                preOfFilter.add(plugin instanceof PreFilterPlugin ? pre.size() - 1 : -1);
            }
            if (plugin instanceof ScorePlugin s && profile.plugins().get(i).weight() > 0) {
                score.add(s);
                weight.add((double) profile.plugins().get(i).weight());
            }
            if (plugin instanceof ReservePlugin r) {
                reserve.add(r);
            }
        }
        this.preFilters = pre.toArray(PreFilterPlugin[]::new);
        this.filters = filter.toArray(FilterPlugin[]::new);
        this.preFilterOfFilter =
                preOfFilter.stream().mapToInt(Integer::intValue).toArray();
        this.scorers = score.toArray(ScorePlugin[]::new);
        this.reservers = reserve.toArray(ReservePlugin[]::new);
        double[] weights = weight.stream().mapToDouble(Double::doubleValue).toArray();
        this.runner = new CycleRunner(filters, scorers, weights, settings);
        this.explainer = new Explainer(filters);
    }

    /** A framework running {@code profile}'s plugins, made by {@code registry}. */
    public static SchedulingFramework create(Profile profile, PluginRegistry registry, SchedulerSettings settings) {
        requireNonNull(profile, "profile is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(settings, "settings is null");
        List<Plugin> plugins = new ArrayList<>();
        for (PluginSpec spec : profile.plugins()) {
            plugins.add(registry.create(spec.name()));
        }
        return new SchedulingFramework(profile, plugins, settings);
    }

    public String profileName() {
        return profileName;
    }

    public SchedulerSettings settings() {
        return settings;
    }

    public PlacementOutcome place(ClusterSnapshot snapshot, PlacementRequest request, RandomGenerator random) {
        return place(snapshot, request, random, new PlacementWorkspace());
    }

    /** Places one VM; {@code workspace} is reused scratch space for this thread. */
    public PlacementOutcome place(
            ClusterSnapshot snapshot, PlacementRequest request, RandomGenerator random, PlacementWorkspace workspace) {
        GangOutcome outcome = placeGang(snapshot, new GangRequest(request, List.of(request.vmId())), random, workspace);
        return switch (outcome) {
            case GangOutcome.Placed placed -> {
                GangOutcome.Assignment assignment = placed.assignments().get(0);
                yield new PlacementOutcome.Placed(
                        assignment.host(),
                        assignment.hostId(),
                        assignment.expectedGeneration(),
                        placed.snapshotAfter());
            }
            case GangOutcome.Unschedulable none -> new PlacementOutcome.Unschedulable(none.explanation());
        };
    }

    public GangOutcome placeGang(ClusterSnapshot snapshot, GangRequest gang, RandomGenerator random) {
        return placeGang(snapshot, gang, random, new PlacementWorkspace());
    }

    /** Places every VM of {@code gang} or none; the input snapshot is never changed (it is immutable). */
    public GangOutcome placeGang(
            ClusterSnapshot snapshot, GangRequest gang, RandomGenerator random, PlacementWorkspace workspace) {
        requireNonNull(random, "random is null");
        requireNonNull(workspace, "workspace is null");
        if (gang.size() > settings.maxGangSize()) {
            throw VireoException.invalid(
                    "vmIds", "a gang holds at most " + settings.maxGangSize() + " VMs, got " + gang.size());
        }
        CycleState state = new CycleState(snapshot, gang.request(), gang.size());
        boolean[] filterActive = new boolean[filters.length];
        Status preFilter = runPreFilters(state, filterActive);
        if (preFilter.isRejection()) {
            return new GangOutcome.Unschedulable(0, Explainer.allRejected(state, preFilter, snapshot.hostCount()));
        }
        boolean[] scoreActive = new boolean[scorers.length];
        for (int s = 0; s < scorers.length; s++) {
            scoreActive[s] = scorers[s].preScore(state).isSuccess();
        }
        return placeMembers(state, gang, filterActive, scoreActive, workspace, random);
    }

    private GangOutcome placeMembers(
            CycleState state,
            GangRequest gang,
            boolean[] filterActive,
            boolean[] scoreActive,
            PlacementWorkspace workspace,
            RandomGenerator random) {
        ClusterSnapshot input = state.snapshot();
        int[] chosen = new int[gang.size()];
        ClusterSnapshot[] before = new ClusterSnapshot[gang.size()];
        for (int member = 0; member < gang.size(); member++) {
            state.startMember(member);
            int host = runner.scheduleOne(state, filterActive, scoreActive, workspace, random);
            if (host < 0) {
                Explanation explanation = explainer.noFeasibleHost(state, filterActive);
                rollback(state, chosen, before, member);
                return new GangOutcome.Unschedulable(member, explanation);
            }
            before[member] = state.snapshot();
            Status reserved = reserve(state, host);
            if (!reserved.isSuccess()) {
                Explanation explanation = Explainer.allRejected(state, reserved, 1);
                rollback(state, chosen, before, member);
                return new GangOutcome.Unschedulable(member, explanation);
            }
            chosen[member] = host;
        }
        List<GangOutcome.Assignment> assignments = new ArrayList<>(gang.size());
        for (int member = 0; member < gang.size(); member++) {
            int host = chosen[member];
            assignments.add(new GangOutcome.Assignment(
                    gang.vmIds().get(member), host, input.hostId(host), input.resourceGeneration(host)));
        }
        return new GangOutcome.Placed(assignments, state.snapshot());
    }

    /** SUCCESS, or the first rejection; marks each filter active unless its own PreFilter said SKIP. */
    private Status runPreFilters(CycleState state, boolean[] filterActive) {
        Status[] statuses = new Status[preFilters.length];
        for (int p = 0; p < preFilters.length; p++) {
            statuses[p] = requireNonNull(preFilters[p].preFilter(state), "preFilter returned null");
            if (statuses[p].isRejection()) {
                return statuses[p];
            }
        }
        for (int f = 0; f < filters.length; f++) {
            int p = preFilterOfFilter[f];
            filterActive[f] = p < 0 || !statuses[p].isSkip();
        }
        return Status.SUCCESS;
    }

    /** Claims {@code host} for the current member, then runs Reserve plugins; undoes both if one fails. */
    private Status reserve(CycleState state, int host) {
        ClusterSnapshot before = state.snapshot();
        state.advance(before.withClaim(host, state.demand()));
        for (int r = 0; r < reservers.length; r++) {
            Status status = reservers[r].reserve(state, host);
            if (!status.isSuccess()) {
                for (int undo = r; undo >= 0; undo--) {
                    reservers[undo].unreserve(state, host);
                }
                state.advance(before);
                return status.isRejection() ? status : Status.error(reservers[r].name(), "reserve returned " + status);
            }
        }
        return Status.SUCCESS;
    }

    /** Unreserves members {@code placed-1 .. 0}, last first, and restores the snapshot before each one's claim. */
    private void rollback(CycleState state, int[] chosen, ClusterSnapshot[] before, int placed) {
        for (int member = placed - 1; member >= 0; member--) {
            state.startMember(member);
            for (int r = reservers.length - 1; r >= 0; r--) {
                reservers[r].unreserve(state, chosen[member]);
            }
            state.advance(before[member]);
        }
    }
}
