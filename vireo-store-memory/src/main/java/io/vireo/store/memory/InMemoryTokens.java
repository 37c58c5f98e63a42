package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.TokenRepository;
import io.vireo.model.ApiToken;
import io.vireo.model.User;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** API tokens in memory, by the SHA-256 of their text. Thread-safe: every call holds the state's lock. */
final class InMemoryTokens implements TokenRepository {
    private static final Comparator<ApiToken> LISTING_ORDER =
            comparing(ApiToken::createdAt).thenComparing(t -> t.id().toString());

    private final MemoryState memory;

    InMemoryTokens(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public ApiToken create(ApiToken token) {
        synchronized (memory.lock) {
            if (!memory.users.containsKey(token.userId())) {
                throw VireoException.notFound("user", token.userId().toString());
            }
            if (findBySha256(token.sha256()).isPresent()) {
                throw VireoException.alreadyExists("token", token.id().toString());
            }
            memory.tokens.put(token.id(), token);
            return token;
        }
    }

    @Override
    public Optional<ApiToken> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.tokens.get(id));
        }
    }

    @Override
    public Optional<ApiToken> findBySha256(String sha256) {
        synchronized (memory.lock) {
            return memory.tokens.values().stream()
                    .filter(t -> t.sha256().equals(sha256))
                    .findFirst();
        }
    }

    @Override
    public List<ApiToken> list(@Nullable UUID projectId, @Nullable UUID userId) {
        synchronized (memory.lock) {
            return memory.tokens.values().stream()
                    .filter(t ->
                            userId != null ? t.userId().equals(userId) : projectId == null || inProject(t, projectId))
                    .sorted(LISTING_ORDER)
                    .toList();
        }
    }

    private boolean inProject(ApiToken token, UUID projectId) {
        User user = memory.users.get(token.userId());
        return user != null && user.projectId().equals(projectId);
    }

    @Override
    public boolean revoke(UUID id, Instant now) {
        synchronized (memory.lock) {
            ApiToken token = memory.tokens.get(id);
            if (token == null) {
                return false;
            }
            if (token.revokedAt() == null) {
                memory.tokens.put(
                        id,
                        new ApiToken(
                                token.id(),
                                token.userId(),
                                token.sha256(),
                                token.description(),
                                token.createdAt(),
                                token.expiresAt(),
                                now));
            }
            return true;
        }
    }

    @Override
    public boolean delete(UUID id) {
        synchronized (memory.lock) {
            return memory.tokens.remove(id) != null;
        }
    }

    @Override
    public int deleteExpired(Instant before) {
        synchronized (memory.lock) {
            int before0 = memory.tokens.size();
            memory.tokens.values().removeIf(t -> t.expiresAt().isBefore(before));
            return before0 - memory.tokens.size();
        }
    }
}
