package io.vireo.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.common.VireoException;

/**
 * Checks a VM's user data: the text handed to cloud-init in the guest, stored as given and never interpreted by the
 * server. It must be a cloud-config document ({@code #cloud-config}) or a script ({@code #!}), at most
 * {@link #MAX_BYTES} bytes of UTF-8, without NUL characters. Pure and thread-safe.
 */
public final class UserData {
    /** The largest user data accepted, in bytes of UTF-8. */
    public static final int MAX_BYTES = 64 * 1024;

    public static final String CLOUD_CONFIG = "#cloud-config";
    public static final String SCRIPT = "#!";

    private UserData() {}

    /**
     * Returns {@code userData} if it is acceptable.
     *
     * @throws VireoException INVALID_ARGUMENT naming {@code field}
     */
    public static String require(String field, String userData) {
        if (!isCloudConfig(userData) && !isScript(userData)) {
            throw VireoException.invalid(field, "must start with '" + CLOUD_CONFIG + "' or '" + SCRIPT + "'");
        }
        if (userData.indexOf('\0') >= 0) {
            throw VireoException.invalid(field, "must not contain NUL characters");
        }
        if (userData.getBytes(UTF_8).length > MAX_BYTES) {
            throw VireoException.invalid(field, "must be at most " + MAX_BYTES + " bytes");
        }
        return userData;
    }

    /** Starts with the {@code #cloud-config} line. */
    public static boolean isCloudConfig(String userData) {
        if (!userData.startsWith(CLOUD_CONFIG)) {
            return false;
        }
        String rest = userData.substring(CLOUD_CONFIG.length());
        return rest.isEmpty() || rest.startsWith("\n") || rest.startsWith("\r\n");
    }

    public static boolean isScript(String userData) {
        return userData.startsWith(SCRIPT);
    }
}
