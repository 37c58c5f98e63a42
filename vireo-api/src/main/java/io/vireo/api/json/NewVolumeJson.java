package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.model.Volume;

@Doc("A data volume to create.")
public record NewVolumeJson(
        @Doc(value = "Volume name, unique in the project.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "Size in GiB.", minimum = 1, maximum = Volume.MAX_SIZE_GIB)
        long sizeGib) {
    public NewVolumeJson {
        Names.require("name", name);
    }
}
