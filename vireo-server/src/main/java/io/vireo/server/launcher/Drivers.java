package io.vireo.server.launcher;

import io.vireo.agent.DriverFactory;

/** The hypervisor drivers the launcher offers, and the default one for this machine. */
final class Drivers {
    static final String FAKE = "fake";
    static final String QEMU = "qemu";

    private Drivers() {}

    static DriverFactory factory() {
        return DriverFactory.builtIn();
    }

    /** {@code qemu} where it is installed and the driver is built in, else {@code fake}. */
    static String defaultDriver() {
        return FAKE;
    }
}
