package io.vireo.controller.port;

import io.vireo.model.Flavor;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Flavors (VM sizes). Names are unique; a flavor stays while VMs that are not DELETED were made from it. */
public interface FlavorRepository {
    /** Throws ALREADY_EXISTS if the name is taken. */
    Flavor create(Flavor flavor);

    Optional<Flavor> find(UUID id);

    Optional<Flavor> findByName(String name);

    List<Flavor> list();

    /**
     * Deletes the flavor of that name unless a VM that is not DELETED was made from it ({@link CatalogDeletion.InUse},
     * nothing changed). Race-free against {@link VmRepository#create}: a VM is never created from a flavor this
     * deletes.
     */
    CatalogDeletion delete(String name);
}
