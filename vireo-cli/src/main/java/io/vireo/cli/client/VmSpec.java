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
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer count,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Ha ha) {
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
        this(name, flavor, image, serverGroup, availabilityZone, traits, List.of(), null, List.of(), null, null, null);
    }

    /** The VM's HA policy ({@code restart}, {@code restart-from-image}, {@code none}) and its restart priority. */
    public record Ha(
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            String policy,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Integer priority) {
        /** The policy given on the command line, or null for the server's default (a priority alone is sent too). */
        public static @Nullable Ha of(@Nullable String policy, @Nullable Integer priority) {
            if (policy == null && priority == null) {
                return null;
            }
            return new Ha(policy, priority); // a priority alone: the server answers that the policy is missing
        }
    }
}
