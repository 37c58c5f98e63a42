package io.vireo.common;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Source of object identifiers; injected so that the simulator can make them deterministic. */
@FunctionalInterface
public interface IdGenerator {
    UUID next();

    /** Random (version 4) UUIDs from a cryptographically strong source. */
    static IdGenerator secure() {
        SecureRandom random = new SecureRandom();
        return () -> fromRandom(random);
    }

    /** Version 4 UUIDs drawn from {@code random}: the same seed gives the same identifiers. */
    static IdGenerator seeded(RandomGenerator random) {
        return () -> fromRandom(random);
    }

    private static UUID fromRandom(RandomGenerator random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }
}
