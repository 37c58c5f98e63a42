package io.vireo.controller.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.FlavorRepository;
import io.vireo.model.Flavor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The flavors of {@link InMemoryStore}, guarded by the store's one lock: a flavor is deleted only while no VM that is
 * not DELETED was made from it, which the lock makes atomic with VM creates. Thread-safe.
 */
final class InMemoryFlavors implements FlavorRepository {
    private final Object lock;
    private final ToLongFunction<UUID> liveVmsOf;
    private final Map<UUID, Flavor> flavors = new LinkedHashMap<>();

    /** @param liveVmsOf how many VMs that are not DELETED were made from a flavor, called under the lock */
    InMemoryFlavors(Object lock, ToLongFunction<UUID> liveVmsOf) {
        this.lock = requireNonNull(lock, "lock is null");
        this.liveVmsOf = requireNonNull(liveVmsOf, "liveVmsOf is null");
    }

    @Override
    public Flavor create(Flavor flavor) {
        synchronized (lock) {
            if (findByName(flavor.name()).isPresent()) {
                throw VireoException.alreadyExists("flavor", flavor.name());
            }
            flavors.put(flavor.id(), flavor);
            return flavor;
        }
    }

    @Override
    public Optional<Flavor> find(UUID id) {
        synchronized (lock) {
            return Optional.ofNullable(flavors.get(id));
        }
    }

    @Override
    public Optional<Flavor> findByName(String name) {
        synchronized (lock) {
            return flavors.values().stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    @Override
    public List<Flavor> list() {
        synchronized (lock) {
            return flavors.values().stream().sorted(comparing(Flavor::name)).toList();
        }
    }

    @Override
    public CatalogDeletion delete(String name) {
        synchronized (lock) {
            Optional<Flavor> flavor = findByName(name);
            if (flavor.isEmpty()) {
                return CatalogDeletion.NOT_FOUND;
            }
            long using = liveVmsOf.applyAsLong(flavor.get().id());
            if (using > 0) {
                return new CatalogDeletion.InUse(using);
            }
            flavors.remove(flavor.get().id());
            return CatalogDeletion.DELETED;
        }
    }
}
