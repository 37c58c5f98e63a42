package io.vireo.controller.port;

import io.vireo.model.DesiredState;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * VMs. Writes are conditional on the spec {@code generation} read before, so that a user action, a status update and
 * a placement racing on one VM never overwrite each other: a {@code false} return means "re-read and retry".
 */
public interface VmRepository {
    /** The order of a gang's members: by name length, then name ({@code web-2} before {@code web-10}). */
    Comparator<Vm> GANG_MEMBER_ORDER =
            Comparator.comparingInt((Vm vm) -> vm.name().length()).thenComparing(Vm::name);

    /**
     * Inserts a new VM, and with it the idempotency key and its request's fingerprint, if given. With a key already
     * used in the VM's project, inserts nothing and returns the VM that key created if the fingerprints are the same
     * ({@link IdempotencyKey#sameRequestAs}), else throws IDEMPOTENCY_KEY_REUSED ({@link IdempotencyKey#reusedBy}).
     * Throws ALREADY_EXISTS if a live (not DELETED) VM of the project has the name, and NOT_FOUND if its flavor or image
     * is gone (deleted meanwhile: {@link FlavorRepository#delete} and {@link ImageRepository#delete} never delete one
     * a VM being created is made from).
     *
     * <p>Attaches the VM's volumes ({@code vm.guest().volumes()}, each with its delete-on-termination flag) in the same
     * transaction; throws CONFLICT, having written nothing, if one of them is gone, belongs to another project, is
     * attached to a VM, or holds data on a host (a kept volume).
     */
    Vm create(Vm vm, @Nullable IdempotencyKey idempotencyKey);

    /**
     * Inserts the members of a gang (VMs of one create, sharing a gang id) in one transaction: all or none. With an
     * idempotency key already used in the project, inserts nothing and returns what that key created (the gang, or the
     * one VM) if the fingerprints are the same, else throws IDEMPOTENCY_KEY_REUSED, as {@link #create}. Throws
     * ALREADY_EXISTS, having written nothing, if a live VM of the project has a member's name, and NOT_FOUND if their
     * flavor or image is gone, as {@link #create}. Members have no volumes.
     * The key and its fingerprint are recorded on the first member.
     */
    List<Vm> createGang(List<Vm> members, @Nullable IdempotencyKey idempotencyKey);

    /** Every member of the gang, in any state, in member order (by name length, then name: web-2 before web-10). */
    List<Vm> gangMembers(UUID gangId);

    Optional<Vm> find(UUID id);

    /** The live (not DELETED) VM of that name in the project. */
    Optional<Vm> findByName(UUID projectId, String name);

    Page<Vm> list(VmFilter filter);

    /** Every VM placed on the host that is not DELETED, including those being deleted. */
    List<Vm> listByHost(UUID hostId);

    /** PENDING VMs, oldest first. */
    List<Vm> listPending(int limit);

    /**
     * Takes PENDING VMs for one placement pass of {@code owner}: oldest first, up to {@code limit} (more when a gang
     * is cut by the limit, since a gang is taken whole, or not at all when another owner holds some of it), skipping
     * those another owner holds, and holds them for {@code owner} until {@code now + lease}. Two owners calling at the
     * same time take disjoint VMs; a hold that is neither released nor renewed expires, so a crashed owner loses none.
     */
    List<Vm> takePending(UUID owner, int limit, Duration lease, Instant now);

    /** Gives back the holds {@code owner} has on these VMs (those it placed, failed or could not claim this pass). */
    void releasePending(UUID owner, Collection<UUID> vmIds);

    /**
     * Writes a new spec (desired state, reboot count, generation) and the state the action leads to, if the stored
     * generation still equals {@code expectedGeneration} and the placement epoch {@code expectedEpoch}: the state was
     * derived from the VM as it was read, and a claim in between (which places the VM without changing its spec) makes
     * it wrong — deleting a VM read as never placed must not mark a just-placed one DELETED with its allocation held.
     */
    boolean updateSpec(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            long newGeneration,
            DesiredState desiredState,
            long rebootCount,
            VmState state,
            @Nullable String stateReason,
            Instant now);

    /**
     * Writes the derived status if the stored generation still equals {@code expectedGeneration} and the placement
     * epoch {@code expectedEpoch}: a status derived from a host's report never lands on a VM that has since been
     * placed again, or unplaced for an HA restart (which raises the epoch too).
     */
    boolean updateStatus(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            VmState state,
            @Nullable String stateReason,
            long observedGeneration,
            @Nullable Instant startedAt,
            Instant now);

    /** Puts a PENDING VM into ERROR (placement failed) if it is still unplaced at that generation. */
    boolean markUnplaceable(UUID id, long expectedGeneration, String reason, Instant now);

    /**
     * Live VMs in a transitional state (not {@link VmState#settled() settled}: PENDING, SCHEDULED, STARTING,
     * STOPPING, REBOOTING, DELETING) whose last change was before {@code changedBefore}, longest unchanged first, at
     * most {@code limit}: VMs stuck on their way, for alerts and metrics.
     */
    List<Vm> listUnsettled(Instant changedBefore, int limit);

    /** Counts of live VMs per state, for metrics and tests. */
    java.util.Map<VmState, Long> countByState();

    /** Counts of live VMs placed on a host, per host and state (unplaced VMs are not counted), for metrics. */
    java.util.Map<UUID, java.util.Map<VmState, Long>> countByHostAndState();

    /**
     * The live VMs, but those in ERROR, whose desired state is not yet observed ({@code observedGeneration <
     * generation}), and the oldest last change among them: how far reconciliation is behind, for metrics.
     */
    ReconcileBacklog reconcileBacklog();

    /** {@code vms} VMs not yet reconciled, the oldest of them last changed at {@code oldestChangeAt} (null: none). */
    record ReconcileBacklog(long vms, @Nullable Instant oldestChangeAt) {
        public static final ReconcileBacklog NONE = new ReconcileBacklog(0, null);
    }
}
