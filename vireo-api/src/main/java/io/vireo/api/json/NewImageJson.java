package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

import io.vireo.common.Names;

@Doc("An image record to create; its bytes are uploaded separately.")
public record NewImageJson(
        @Doc(value = "Image name, unique within the project.", pattern = Patterns.NAME)
        String name,

        ImageFormatJson format) {
    public NewImageJson {
        Names.require("name", name);
        requireNonNull(format, "format is null");
    }
}
