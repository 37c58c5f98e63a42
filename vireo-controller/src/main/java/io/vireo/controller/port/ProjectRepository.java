package io.vireo.controller.port;

import io.vireo.model.Project;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Projects (tenants). Names are unique. The admin project exists from the start. */
public interface ProjectRepository {
    /** Throws ALREADY_EXISTS if the name is taken. */
    Project create(Project project);

    Optional<Project> find(UUID id);

    Optional<Project> findByName(String name);

    /** Every project, ordered by name. */
    List<Project> list();

    /**
     * Deletes the project unless it still has users, VMs that are not DELETED, volumes, images or server groups
     * ({@link Deletion#IN_USE}, nothing changed).
     */
    Deletion delete(UUID id);

    /** Outcomes of {@link #delete}. */
    enum Deletion {
        DELETED,
        NOT_FOUND,
        /** The project still owns users or objects: delete them first. */
        IN_USE
    }
}
