package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.ResourceDemand;
import io.vireo.scheduler.snapshot.ShareSums;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state of one placement (of one VM, or of every member of a gang): the working snapshot, which already holds the
 * claims of the members placed so far; the request and its compiled resource demand; which member is being placed;
 * and typed slots plugins fill at PreFilter and read in their loops (once per block of hosts, not per host).
 *
 * <p>Threading: confined to the thread running the placement; not thread-safe.
 */
public final class CycleState {
    private ClusterSnapshot snapshot;
    private final PlacementRequest request;
    private final ResourceDemand demand;
    private final int gangSize;
    private int member;
    private final Map<StateKey<?>, Object> values = new HashMap<>();
    private double[] scratch = new double[0];
    private ShareSums shareSums = new ShareSums();
    private boolean scoring;
    private boolean shareSumsValid;
    private int @Nullable [] shareSumsHosts;
    private int shareSumsCount;

    public CycleState(ClusterSnapshot snapshot, PlacementRequest request, int gangSize) {
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.request = requireNonNull(request, "request is null");
        if (gangSize < 1) {
            throw new IllegalArgumentException("gangSize must be positive: " + gangSize);
        }
        this.gangSize = gangSize;
        this.demand = snapshot.demand(request.demand());
    }

    /** A state for placing one VM. */
    public CycleState(ClusterSnapshot snapshot, PlacementRequest request) {
        this(snapshot, request, 1);
    }

    /** The working snapshot: the input plus the claims of the members placed so far. */
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public PlacementRequest request() {
        return request;
    }

    public ResourceDemand demand() {
        return demand;
    }

    public int gangSize() {
        return gangSize;
    }

    /** The member being placed, {@code 0..gangSize()-1}. */
    public int member() {
        return member;
    }

    /** Makes {@code index} the member being placed (or, when a gang fails, released). */
    public void startMember(int index) {
        this.member = Objects.checkIndex(index, gangSize);
    }

    /**
     * A scratch array of at least {@code snapshot().hostCount()} doubles for a scorer's own use during one call (for
     * a second accumulator beside its scores). Its contents are garbage on entry; the next scorer overwrites them.
     */
    public double[] scratch() {
        if (scratch.length < snapshot.hostCount()) {
            scratch = new double[snapshot.hostCount()];
        }
        return scratch;
    }

    /**
     * Per host of {@code hosts[0..count)}, the sums of its shares of capacity after placing this cycle's demand (see
     * {@link ShareSums}). Within one scoring phase of the framework the sums are computed once for the feasible hosts
     * and shared by every scorer that asks; anywhere else they are computed on each call. Read only.
     */
    @SuppressWarnings("ReferenceEquality") // the very list the framework scores, not an equal one
    public ShareSums shareSums(int[] hosts, int count) {
        if (!(scoring && shareSumsValid && shareSumsHosts == hosts && shareSumsCount == count)) {
            snapshot.sumShares(demand, hosts, count, shareSums);
            shareSumsValid = scoring;
            shareSumsHosts = hosts;
            shareSumsCount = count;
        }
        return shareSums;
    }

    void lend(double[] workspaceScratch, ShareSums workspaceShareSums) {
        this.scratch = requireNonNull(workspaceScratch, "workspaceScratch is null");
        this.shareSums = requireNonNull(workspaceShareSums, "workspaceShareSums is null");
    }

    /** Starts the scoring phase of one cycle: the share sums are computed afresh, then shared until it ends. */
    void startScoring() {
        scoring = true;
        shareSumsValid = false;
    }

    void endScoring() {
        scoring = false;
        shareSumsValid = false;
    }

    void advance(ClusterSnapshot next) {
        this.snapshot = requireNonNull(next, "next is null");
    }

    public <T> void write(StateKey<T> key, T value) {
        values.put(key, requireNonNull(value, "value is null"));
    }

    public <T> Optional<T> find(StateKey<T> key) {
        return Optional.ofNullable(values.get(key)).map(key.type()::cast);
    }

    /** The value at {@code key}; a plugin reads only what its own PreFilter wrote. */
    public <T> T read(StateKey<T> key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("no " + key.name() + " in the cycle state: did its PreFilter run?");
        }
        return key.type().cast(value);
    }
}
