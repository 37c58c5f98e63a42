package io.vireo.controller.port;

import io.vireo.model.Volume;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Data volumes. Names are unique within a project. A volume is attached only by {@link VmRepository#create} (in the
 * VM's own transaction) and detached or deleted only by {@link ClaimRepository#releaseAndMarkDeleted}, so that a
 * volume belongs to at most one VM at any time.
 */
public interface VolumeRepository {
    /** Throws ALREADY_EXISTS if the project has a volume of that name. */
    Volume create(Volume volume);

    Optional<Volume> find(UUID id);

    Optional<Volume> findByName(UUID projectId, String name);

    /** The project's volumes, ordered by name. */
    List<Volume> list(UUID projectId);

    /** Deletes the volume unless it is attached. */
    DeleteOutcome delete(UUID projectId, String name);

    /** Outcomes of {@link #delete}. */
    enum DeleteOutcome {
        DELETED,
        NOT_FOUND,
        /** Attached to a VM: delete the VM first (or it goes with the VM). */
        ATTACHED
    }
}
