package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.ServerGroupRepository;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Server groups in memory; names are unique per project, and a group with live members cannot be deleted. Their hard
 * rules are checked by {@link InMemoryClaims}. Thread-safe: every call holds the state's lock.
 */
final class InMemoryServerGroups implements ServerGroupRepository {
    private final MemoryState memory;

    InMemoryServerGroups(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public ServerGroup create(ServerGroup group) {
        synchronized (memory.lock) {
            if (findByName(group.projectId(), group.name()).isPresent()) {
                throw VireoException.alreadyExists("server group", group.name());
            }
            memory.serverGroups.put(group.id(), group);
            return group;
        }
    }

    @Override
    public Optional<ServerGroup> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.serverGroups.get(id));
        }
    }

    @Override
    public Optional<ServerGroup> findByName(UUID projectId, String name) {
        synchronized (memory.lock) {
            return memory.serverGroups.values().stream()
                    .filter(g -> g.projectId().equals(projectId) && g.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<ServerGroup> list(UUID projectId) {
        synchronized (memory.lock) {
            return memory.serverGroups.values().stream()
                    .filter(g -> g.projectId().equals(projectId))
                    .sorted(comparing(ServerGroup::name))
                    .toList();
        }
    }

    @Override
    public List<Vm> members(UUID groupId) {
        synchronized (memory.lock) {
            return memory.liveMembers(groupId);
        }
    }

    @Override
    public boolean delete(UUID groupId) {
        synchronized (memory.lock) {
            ServerGroup group = memory.serverGroups.get(groupId);
            if (group == null) {
                return false;
            }
            List<Vm> live = members(groupId);
            if (!live.isEmpty()) {
                throw VireoException.conflict("server group '" + group.name() + "' has " + live.size() + " live member"
                        + (live.size() == 1 ? "" : "s") + "; delete them first");
            }
            memory.serverGroups.remove(groupId);
            return true;
        }
    }
}
