package io.vireo.scheduler.framework;

/**
 * Says which hosts can take the VM. Runs in profile order; a host is rejected by the first filter that rejects it.
 *
 * <p>Two forms of one rule: {@link #retainFeasible} is the hot path, run over blocks of hosts; {@link #filter} is the
 * reference, one host at a time, run to explain a "no valid host" and by tests that check both agree. Neither may
 * allocate, box or use streams per host.
 */
public interface FilterPlugin extends Plugin {
    /** SUCCESS if {@code host} can take the VM, else a shared UNSCHEDULABLE status saying why. */
    Status filter(CycleState state, int host);

    /**
     * Keeps in {@code hosts[0..count)}, in their order, exactly the hosts {@link #filter} accepts, and returns how
     * many that is. Slots from the returned count on are garbage.
     */
    int retainFeasible(CycleState state, int[] hosts, int count);
}
