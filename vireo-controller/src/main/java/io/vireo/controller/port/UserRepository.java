package io.vireo.controller.port;

import io.vireo.model.User;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Users and service accounts, with the password hash of each person. Names are unique across the cloud. A user's
 * tokens go with the user.
 */
public interface UserRepository {
    /**
     * Stores a user with its password hash (null for a service account, or a person who cannot log in yet). Throws
     * ALREADY_EXISTS if the name is taken and NOT_FOUND if the user's project does not exist.
     */
    User create(User user, @Nullable String passwordHash);

    Optional<User> find(UUID id);

    Optional<User> findByName(String name);

    /** The users of {@code projectId}, or of every project when it is null, ordered by name. */
    List<User> list(@Nullable UUID projectId);

    /** The user's password hash, if the user exists and has one. */
    Optional<String> passwordHash(UUID userId);

    /** Replaces a person's password hash; false if there is no such person (service accounts have no password). */
    boolean setPasswordHash(UUID userId, String passwordHash);

    /** Deletes the user and every token of theirs, in one step; false if there was no such user. */
    boolean delete(UUID id);
}
