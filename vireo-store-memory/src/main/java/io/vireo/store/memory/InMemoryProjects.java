package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.ProjectRepository;
import io.vireo.model.Project;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Projects in memory; names are unique. A project is deleted only while it owns nothing, which {@code ownsObjects}
 * decides under the state's one lock. Thread-safe: every call holds the lock.
 */
final class InMemoryProjects implements ProjectRepository {
    private final MemoryState memory;
    private final Predicate<UUID> ownsObjects;

    /** @param ownsObjects whether a project has volumes, images, server groups or VMs that are not DELETED */
    InMemoryProjects(MemoryState memory, Predicate<UUID> ownsObjects) {
        this.memory = requireNonNull(memory, "memory is null");
        this.ownsObjects = requireNonNull(ownsObjects, "ownsObjects is null");
    }

    @Override
    public Project create(Project project, Map<QuotaResource, Long> limits) {
        limits.forEach(ProjectQuota::requireLimit);
        synchronized (memory.lock) {
            if (findByName(project.name()).isPresent()) {
                throw VireoException.alreadyExists("project", project.name());
            }
            memory.projects.put(project.id(), project);
            memory.quotas.create(project.id(), limits);
            return project;
        }
    }

    @Override
    public Optional<Project> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.projects.get(id));
        }
    }

    @Override
    public Optional<Project> findByName(String name) {
        synchronized (memory.lock) {
            return memory.projects.values().stream()
                    .filter(p -> p.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Project> list() {
        synchronized (memory.lock) {
            return memory.projects.values().stream()
                    .sorted(comparing(Project::name))
                    .toList();
        }
    }

    @Override
    public Deletion delete(UUID id) {
        synchronized (memory.lock) {
            if (!memory.projects.containsKey(id)) {
                return Deletion.NOT_FOUND;
            }
            boolean hasUsers =
                    memory.users.values().stream().anyMatch(u -> u.projectId().equals(id));
            if (hasUsers || ownsObjects.test(id)) {
                return Deletion.IN_USE;
            }
            memory.projects.remove(id);
            memory.quotas.delete(id);
            return Deletion.DELETED;
        }
    }
}
