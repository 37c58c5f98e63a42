package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.CatalogService;

@Doc("A flavor to create.")
public record NewFlavorJson(
        @Doc(value = "Unique flavor name.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "Virtual CPUs.", minimum = 1, maximum = CatalogService.MAX_VCPUS)
        long vcpus,

        @Doc(value = "Memory in MiB.", minimum = 16, maximum = CatalogService.MAX_MEMORY_MIB)
        long memoryMib,

        @Doc(value = "Disk in GiB.", minimum = 0, maximum = CatalogService.MAX_DISK_GIB)
        long diskGib) {
    public NewFlavorJson {
        Names.require("name", name);
        requireNotNegative("vcpus", vcpus);
        requireNotNegative("memoryMib", memoryMib);
        requireNotNegative("diskGib", diskGib);
    }

    private static void requireNotNegative(String field, long value) {
        if (value < 0) {
            throw VireoException.invalid(field, "must not be negative");
        }
    }
}
