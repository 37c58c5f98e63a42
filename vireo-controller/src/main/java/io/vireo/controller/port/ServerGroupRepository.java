package io.vireo.controller.port;

import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Server groups. Names are unique within a project. A group's hard rules are enforced by
 * {@link ClaimRepository#claim}, in the claim's transaction, not here.
 */
public interface ServerGroupRepository {
    /** Throws ALREADY_EXISTS if the project has a group of that name. */
    ServerGroup create(ServerGroup group);

    Optional<ServerGroup> find(UUID id);

    Optional<ServerGroup> findByName(UUID projectId, String name);

    /** The project's groups, ordered by name. */
    List<ServerGroup> list(UUID projectId);

    /** The group's live (not DELETED) members, ordered by name then id. */
    List<Vm> members(UUID groupId);

    /**
     * Deletes the group if it has no live member; throws CONFLICT if it has one. A VM created into the group
     * concurrently either commits first (and the delete fails) or fails with NOT_FOUND. Returns false if there was no
     * such group.
     */
    boolean delete(UUID groupId);
}
