package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.FlavorRepository;
import io.vireo.model.Flavor;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Flavors in memory; names are unique, and a flavor is deleted only while no VM that is not DELETED was made from it,
 * which the state's one lock makes atomic with VM creates ({@link InMemoryVms} checks the flavor exists under it).
 * Thread-safe: every call holds the state's lock.
 */
final class InMemoryFlavors implements FlavorRepository {
    private final MemoryState memory;

    InMemoryFlavors(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public Flavor create(Flavor flavor) {
        synchronized (memory.lock) {
            if (findByName(flavor.name()).isPresent()) {
                throw VireoException.alreadyExists("flavor", flavor.name());
            }
            memory.flavors.put(flavor.id(), flavor);
            return flavor;
        }
    }

    @Override
    public Optional<Flavor> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.flavors.get(id));
        }
    }

    @Override
    public Optional<Flavor> findByName(String name) {
        synchronized (memory.lock) {
            return memory.flavors.values().stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Flavor> list() {
        synchronized (memory.lock) {
            return memory.flavors.values().stream()
                    .sorted(comparing(Flavor::name))
                    .toList();
        }
    }

    @Override
    public CatalogDeletion delete(String name) {
        synchronized (memory.lock) {
            Optional<Flavor> flavor = findByName(name);
            if (flavor.isEmpty()) {
                return CatalogDeletion.NOT_FOUND;
            }
            UUID id = flavor.get().id();
            long using = memory.liveVms(vm -> vm.flavorId().equals(id));
            if (using > 0) {
                return new CatalogDeletion.InUse(using);
            }
            memory.flavors.remove(id);
            return CatalogDeletion.DELETED;
        }
    }
}
