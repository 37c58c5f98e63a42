package io.vireo.api.json;

import io.vireo.model.Project;
import java.time.Instant;
import java.util.UUID;

@Doc("A project (tenant): owns VMs, volumes, images, server groups and users.")
public record ProjectJson(UUID id, String name, Instant createdAt) {
    public static ProjectJson of(Project project) {
        return new ProjectJson(project.id(), project.name(), project.createdAt());
    }
}
