package io.vireo.api.json;

import io.vireo.common.Names;

@Doc("A VM to create.")
public record NewVmJson(
        @Doc(value = "VM name, unique among the project's live VMs.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "The name of an existing flavor.", pattern = Patterns.NAME)
        String flavor,

        @Doc(value = "The name of an image of the project.", pattern = Patterns.NAME)
        String image) {
    public NewVmJson {
        Names.require("name", name);
        Names.require("flavor", flavor);
        Names.require("image", image);
    }
}
