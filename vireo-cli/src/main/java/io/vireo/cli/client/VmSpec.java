package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /vms}: a null {@code serverGroup} or {@code availabilityZone} means none; {@code traits} are
 * required traits, or forbidden ones with a leading '!'; a {@code count} above 1 asks for a gang named
 * {@code <name>-1} … {@code <name>-<count>} (sent only when given).
 */
public record VmSpec(
        String name,
        String flavor,
        String image,
        @Nullable String serverGroup,
        @Nullable String availabilityZone,
        List<String> traits,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> sshKeys,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String userData,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> volumes,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean keepVolumes,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer count) {
    public VmSpec {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
        traits = List.copyOf(traits);
        sshKeys = List.copyOf(sshKeys);
        volumes = List.copyOf(volumes);
    }

    public VmSpec(String name, String flavor, String image) {
        this(name, flavor, image, null, null, List.of());
    }

    /** Without SSH keys, user data or volumes: the guest fields are sent only when set. */
    public VmSpec(
            String name,
            String flavor,
            String image,
            @Nullable String serverGroup,
            @Nullable String availabilityZone,
            List<String> traits) {
        this(name, flavor, image, serverGroup, availabilityZone, traits, List.of(), null, List.of(), null, null);
    }
}
