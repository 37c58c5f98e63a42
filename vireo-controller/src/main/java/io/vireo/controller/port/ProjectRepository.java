package io.vireo.controller.port;

import io.vireo.model.Project;
import io.vireo.model.QuotaResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Projects (tenants). Names are unique. The admin project exists from the start. */
public interface ProjectRepository {
    /** Creates the project with no quota limits; throws ALREADY_EXISTS if the name is taken. */
    default Project create(Project project) {
        return create(project, Map.of());
    }

    /**
     * Creates the project and its quota, with {@code limits} (a resource not named is unlimited), in one transaction;
     * throws ALREADY_EXISTS if the name is taken.
     */
    Project create(Project project, Map<QuotaResource, Long> limits);

    Optional<Project> find(UUID id);

    Optional<Project> findByName(String name);

    /** Every project, ordered by name. */
    List<Project> list();

    /**
     * Deletes the project and its quota unless it still has users, VMs that are not DELETED, volumes, images or server
     * groups ({@link Deletion#IN_USE}, nothing changed).
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
