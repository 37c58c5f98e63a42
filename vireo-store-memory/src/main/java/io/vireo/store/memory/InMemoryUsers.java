package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.UserRepository;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Users in memory; names are unique across projects. Thread-safe: every call holds the state's lock. */
final class InMemoryUsers implements UserRepository {
    private final MemoryState memory;

    InMemoryUsers(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public User create(User user, @Nullable String passwordHash) {
        synchronized (memory.lock) {
            if (findByName(user.name()).isPresent()) {
                throw VireoException.alreadyExists("user", user.name());
            }
            if (!memory.projects.containsKey(user.projectId())) {
                throw VireoException.notFound("project", user.projectId().toString());
            }
            memory.users.put(user.id(), user);
            if (passwordHash != null) {
                memory.passwordHashes.put(user.id(), passwordHash);
            }
            return user;
        }
    }

    @Override
    public Optional<User> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.users.get(id));
        }
    }

    @Override
    public Optional<User> findByName(String name) {
        synchronized (memory.lock) {
            return memory.users.values().stream()
                    .filter(u -> u.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<User> list(@Nullable UUID projectId) {
        synchronized (memory.lock) {
            return memory.users.values().stream()
                    .filter(u -> projectId == null || u.projectId().equals(projectId))
                    .sorted(comparing(User::name))
                    .toList();
        }
    }

    @Override
    public Optional<String> passwordHash(UUID userId) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.passwordHashes.get(userId));
        }
    }

    @Override
    public boolean setPasswordHash(UUID userId, String passwordHash) {
        requireNonNull(passwordHash, "passwordHash is null");
        synchronized (memory.lock) {
            User user = memory.users.get(userId);
            if (user == null || user.kind() != UserKind.PERSON) {
                return false;
            }
            memory.passwordHashes.put(userId, passwordHash);
            return true;
        }
    }

    @Override
    public boolean delete(UUID id) {
        synchronized (memory.lock) {
            if (memory.users.remove(id) == null) {
                return false;
            }
            memory.passwordHashes.remove(id);
            memory.tokens.values().removeIf(t -> t.userId().equals(id));
            return true;
        }
    }
}
