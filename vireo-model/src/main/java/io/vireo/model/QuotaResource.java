package io.vireo.model;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a project's quota limits. A VM charges {@link #INSTANCES}, {@link #VCPUS}, {@link #MEMORY_MIB} and
 * {@link #DISK_GIB} (its flavor's root disk) from its create until it is DELETED; a volume charges {@link #VOLUMES}
 * and {@link #VOLUME_GIB} from its create until it is deleted.
 */
public enum QuotaResource {
    INSTANCES("instances"),
    VCPUS("vcpus"),
    MEMORY_MIB("memoryMib"),
    DISK_GIB("diskGib"),
    VOLUMES("volumes"),
    VOLUME_GIB("volumeGib");

    private final String key;

    QuotaResource(String key) {
        this.key = key;
    }

    /** The name in the API and the CLI: {@code instances}, {@code vcpus}, {@code memoryMib}, ... */
    public String key() {
        return key;
    }

    /** The store's column stem: {@code instances}, {@code vcpus}, {@code memory_mib}, ... */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<QuotaResource> byKey(String key) {
        for (QuotaResource resource : values()) {
            if (resource.key.equals(key)) {
                return Optional.of(resource);
            }
        }
        return Optional.empty();
    }

    /** What a live VM charges. */
    public static Map<QuotaResource, Long> of(Vm vm) {
        Map<QuotaResource, Long> charge = new EnumMap<>(QuotaResource.class);
        charge.put(INSTANCES, 1L);
        charge.put(VCPUS, (long) vm.resources().vcpus());
        charge.put(MEMORY_MIB, vm.resources().memoryMib());
        charge.put(DISK_GIB, vm.resources().diskGib());
        return charge;
    }

    /** What a volume charges. */
    public static Map<QuotaResource, Long> of(Volume volume) {
        Map<QuotaResource, Long> charge = new EnumMap<>(QuotaResource.class);
        charge.put(VOLUMES, 1L);
        charge.put(VOLUME_GIB, volume.sizeGib());
        return charge;
    }
}
