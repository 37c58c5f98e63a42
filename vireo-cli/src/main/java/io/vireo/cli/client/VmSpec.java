package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /vms}: a null {@code serverGroup} or {@code availabilityZone} means none; {@code traits} are
 * required traits, or forbidden ones with a leading '!'.
 */
public record VmSpec(
        String name,
        String flavor,
        String image,
        @Nullable String serverGroup,
        @Nullable String availabilityZone,
        List<String> traits) {
    public VmSpec {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
        traits = List.copyOf(traits);
    }

    public VmSpec(String name, String flavor, String image) {
        this(name, flavor, image, null, null, List.of());
    }
}
