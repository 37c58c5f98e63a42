package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.CreateVmRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

@Doc("A VM to create.")
public record NewVmJson(
        @Doc(value = "VM name, unique among the project's live VMs.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "The name of an existing flavor.", pattern = Patterns.NAME)
        String flavor,

        @Doc(value = "The name of an image of the project.", pattern = Patterns.NAME)
        String image,

        @Doc(value = "Optional: the name of a server group of the project the VM joins.", pattern = Patterns.NAME)
        @Nullable
        String serverGroup,

        @Doc(value = "Optional: the availability zone the VM must run in.", pattern = Patterns.LABEL) @Nullable
        String availabilityZone,

        @Doc("Optional: traits the VM's host must have, e.g. cpu.avx2; a leading '!' means it must not have the trait.")
        @Nullable
        List<String> traits) {
    public NewVmJson {
        Names.require("name", name);
        Names.require("flavor", flavor);
        Names.require("image", image);
        if (serverGroup != null) {
            Names.require("serverGroup", serverGroup);
        }
        if (availabilityZone != null) {
            CreateVmRequest.requireZone("availabilityZone", availabilityZone);
        }
        if (traits != null) {
            if (traits.contains(null)) {
                throw VireoException.invalid("traits", "must not contain null");
            }
            CreateVmRequest.requireTraits("traits", traits);
        }
    }

    /** The request this body asks for. */
    public CreateVmRequest toRequest(@Nullable String idempotencyKey) {
        return new CreateVmRequest(
                name,
                flavor,
                image,
                idempotencyKey,
                serverGroup,
                availabilityZone,
                traits == null ? List.of() : traits);
    }
}
