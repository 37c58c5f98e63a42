package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

/**
 * What a plugin says at an extension point. {@link Code#SUCCESS}: go on. {@link Code#SKIP} (PreFilter, PreScore):
 * this plugin has nothing to do for this request, so its Filter or Score does not run. {@link Code#UNSCHEDULABLE}:
 * the host (Filter) or every host (PreFilter) cannot take the VM, for {@code reason}. {@link Code#ERROR}: the plugin
 * could not decide; treated as unschedulable, reported apart.
 *
 * <p>Filters return shared instances, built once per plugin or per cycle, so that no host evaluated allocates.
 *
 * <p>Invariants: {@code plugin} and {@code reason} are empty for SUCCESS and SKIP and not blank otherwise.
 */
public record Status(Code code, String plugin, String reason) {
    public enum Code {
        SUCCESS,
        SKIP,
        UNSCHEDULABLE,
        ERROR
    }

    public static final Status SUCCESS = new Status(Code.SUCCESS, "", "");
    public static final Status SKIP = new Status(Code.SKIP, "", "");

    public Status {
        requireNonNull(code, "code is null");
        requireNonNull(plugin, "plugin is null");
        requireNonNull(reason, "reason is null");
        boolean passes = code == Code.SUCCESS || code == Code.SKIP;
        if (passes != (plugin.isEmpty() && reason.isEmpty()) || (!passes && (plugin.isBlank() || reason.isBlank()))) {
            throw new IllegalArgumentException(
                    "a " + code + " status needs " + (passes ? "no" : "a") + " plugin and reason");
        }
    }

    public static Status unschedulable(String plugin, String reason) {
        return new Status(Code.UNSCHEDULABLE, plugin, reason);
    }

    public static Status error(String plugin, String reason) {
        return new Status(Code.ERROR, plugin, reason);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    /** UNSCHEDULABLE or ERROR: the VM cannot go where this status was asked about. */
    public boolean isRejection() {
        return code == Code.UNSCHEDULABLE || code == Code.ERROR;
    }
}
