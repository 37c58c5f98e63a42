package io.vireo.api.json;

import io.vireo.common.Names;

@Doc("A project to create.")
public record NewProjectJson(
        @Doc(value = "Project name, unique.", pattern = Patterns.NAME)
        String name) {
    public NewProjectJson {
        Names.require("name", name);
    }
}
