package io.vireo.cli.client;

import java.util.Locale;

/** The power actions {@code POST /vms/{name}/{action}} accepts. */
public enum VmAction {
    START,
    STOP,
    REBOOT,
    PAUSE,
    RESUME;

    public String pathSegment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
