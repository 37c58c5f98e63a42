package io.vireo.controller.port;

import io.vireo.model.Flavor;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Flavors (VM sizes). Names are unique. */
public interface FlavorRepository {
    /** Throws ALREADY_EXISTS if the name is taken. */
    Flavor create(Flavor flavor);

    Optional<Flavor> find(UUID id);

    Optional<Flavor> findByName(String name);

    List<Flavor> list();

    /** Returns whether a flavor of that name existed. */
    boolean delete(String name);
}
