package io.vireo.agent.qemu;

import io.vireo.model.SshPublicKey;
import io.vireo.model.UserData;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code user-data} document of a VM's NoCloud seed from the user's data and the VM's SSH public keys. The
 * user's data is never parsed or rewritten; the rule is:
 *
 * <ul>
 *   <li>no user data: a {@code #cloud-config} document with {@code ssh_authorized_keys} (or empty, without keys);
 *   <li>user data and no keys: the user data as it is;
 *   <li>user data and keys: a MIME {@code multipart/mixed} archive, which cloud-init reads part by part: first the
 *       user's part ({@code text/cloud-config} or {@code text/x-shellscript}, as its first line says), then Vireo's
 *       {@code text/cloud-config} part with {@code ssh_authorized_keys} and a {@code merge_how} that appends lists, so
 *       that keys the user's cloud-config lists itself are kept alongside.
 * </ul>
 *
 * Keys are written as YAML double-quoted strings; {@link SshPublicKey} admits no character that would need escaping.
 * Pure and thread-safe.
 */
public final class CloudInitUserData {
    /** cloud-init's list and dict merge settings for Vireo's part: append lists, keep what earlier parts set. */
    static final String MERGE_HOW = """
            merge_how:
              - name: list
                settings: [append]
              - name: dict
                settings: [no_replace, recurse_list]
            """;

    private CloudInitUserData() {}

    /**
     * @param instanceId the VM's id: the MIME boundary is made from it
     */
    public static String render(UUID instanceId, List<String> sshKeys, @Nullable String userData) {
        for (String key : sshKeys) {
            SshPublicKey.require("sshKeys", key);
        }
        if (userData == null) {
            return UserData.CLOUD_CONFIG + "\n" + authorizedKeys(sshKeys);
        }
        UserData.require("userData", userData);
        if (sshKeys.isEmpty()) {
            return userData;
        }
        String boundary = boundary(instanceId, userData);
        String userType = UserData.isCloudConfig(userData) ? "text/cloud-config" : "text/x-shellscript";
        return "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n"
                + "MIME-Version: 1.0\n"
                + "\n"
                + part(boundary, userType, "user-data", userData)
                + part(
                        boundary,
                        "text/cloud-config",
                        "vireo-ssh-keys",
                        UserData.CLOUD_CONFIG + "\n" + MERGE_HOW + authorizedKeys(sshKeys))
                + "--" + boundary + "--\n";
    }

    private static String authorizedKeys(List<String> sshKeys) {
        if (sshKeys.isEmpty()) {
            return "";
        }
        StringBuilder yaml = new StringBuilder("ssh_authorized_keys:\n");
        for (String key : sshKeys) {
            yaml.append("  - \"").append(key.strip()).append("\"\n");
        }
        return yaml.toString();
    }

    private static String part(String boundary, String contentType, String fileName, String body) {
        return "--" + boundary + "\n"
                + "Content-Type: " + contentType + "; charset=\"utf-8\"\n"
                + "MIME-Version: 1.0\n"
                + "Content-Transfer-Encoding: 8bit\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\n"
                + "\n"
                + body
                + (body.endsWith("\n") ? "" : "\n");
    }

    /** A boundary that does not occur in the user's data. */
    static String boundary(UUID instanceId, String userData) {
        String base = "vireo-" + instanceId;
        String boundary = base;
        for (int n = 1; userData.contains(boundary); n++) {
            boundary = base + "-" + n;
        }
        return boundary;
    }
}
