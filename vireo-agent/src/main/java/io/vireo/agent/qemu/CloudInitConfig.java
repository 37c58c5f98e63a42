package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.common.Names;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What cloud-init in a guest reads from a NoCloud seed: {@code meta-data} (instance id, host name),
 * {@code user-data} and optionally {@code network-config}. The instance id and host name are validated so that they
 * can be written into YAML as they are.
 *
 * @param instanceId cloud-init runs its once-per-instance modules again when this changes; usually the VM's UUID
 * @param hostname a DNS label
 * @param userData the user data as given, typically starting with {@code #cloud-config} or {@code #!}
 * @param networkConfig network configuration (version 1 or 2 YAML), or null to let cloud-init use DHCP
 */
public record CloudInitConfig(
        String instanceId,
        String hostname,
        String userData,
        @Nullable String networkConfig) {
    /**
     * Largest user data (and network config) accepted: the user's data ({@link io.vireo.model.UserData#MAX_BYTES}) with
     * Vireo's SSH key part around it fits.
     */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public CloudInitConfig {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(userData, "userData is null");
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("instanceId must be 1-128 letters, digits, '.', '_' or '-'");
        }
        if (!Names.isValid(hostname)) {
            throw new IllegalArgumentException("hostname must be a DNS label: " + hostname);
        }
        requireBounded(userData, "userData");
        if (networkConfig != null) {
            requireBounded(networkConfig, "networkConfig");
        }
    }

    public Optional<String> networkConfigDocument() {
        return Optional.ofNullable(networkConfig);
    }

    /** The {@code meta-data} document. */
    String metaData() {
        return "instance-id: " + instanceId + "\nlocal-hostname: " + hostname + "\n";
    }

    private static void requireBounded(String document, String name) {
        if (document.getBytes(UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new IllegalArgumentException(name + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
    }
}
