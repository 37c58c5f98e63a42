package io.vireo.server.launcher;

import io.vireo.agent.DriverFactory;
import io.vireo.agent.qemu.LocalImageStore;
import io.vireo.agent.qemu.QemuAccel;
import io.vireo.agent.qemu.QemuDriver;
import io.vireo.agent.qemu.QemuMigrationSettings;
import io.vireo.agent.qemu.QemuSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The hypervisor drivers the launcher offers, and the default one for this machine. */
final class Drivers {
    static final String FAKE = "fake";
    static final String QEMU = "qemu";

    private Drivers() {}

    /**
     * The built-in drivers plus {@code qemu}, whose base images come from {@code imageDir} and whose {@code auto}
     * acceleration boots {@code probeGuest} (a kernel-and-initrd directory) to check that KVM really works.
     */
    static DriverFactory factory(Path imageDir, QemuAccel accel, @Nullable Path probeGuest) {
        return factory(imageDir, accel, probeGuest, QemuMigrationSettings.defaults());
    }

    /** As {@link #factory(Path, QemuAccel, Path)}, with the QEMU driver's live migration settings. */
    static DriverFactory factory(
            Path imageDir, QemuAccel accel, @Nullable Path probeGuest, QemuMigrationSettings migration) {
        DriverFactory builtIn = DriverFactory.builtIn();
        return (config, clock, random) -> {
            if (!config.driverName().equals(QEMU)) {
                return builtIn.create(config, clock, random);
            }
            QemuSettings settings = QemuSettings.defaults(config.stateDir()).withAccel(accel);
            if (probeGuest != null && Files.isRegularFile(probeGuest.resolve("vmlinuz"))) {
                settings = settings.withKvm(settings.kvmDevice(), probeGuest);
            }
            return new QemuDriver(settings, new LocalImageStore(imageDir), clock, migration, random);
        };
    }

    /** {@code qemu} where {@code qemu-system-x86_64} is on the PATH, else {@code fake}. */
    static String defaultDriver() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                    return QEMU;
                }
            }
        }
        return FAKE;
    }
}
