package io.vireo.server.launcher;

import io.vireo.agent.DriverFactory;
import io.vireo.agent.qemu.HttpImageFetcher;
import io.vireo.agent.qemu.ImageFetcher;
import io.vireo.agent.qemu.LocalImageStore;
import io.vireo.agent.qemu.QemuAccel;
import io.vireo.agent.qemu.QemuDriver;
import io.vireo.agent.qemu.QemuMigrationSettings;
import io.vireo.agent.qemu.QemuSettings;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The hypervisor drivers the launcher offers, and the default one for this machine. */
final class Drivers {
    static final String FAKE = "fake";
    static final String QEMU = "qemu";

    private Drivers() {}

    /**
     * The built-in drivers plus {@code qemu}, whose host-local base images come from {@code imageDir}, whose images
     * stored by the server are fetched from {@code imageUrl} (the server's API address; null: none can be fetched)
     * into {@code STATE_DIR/image-cache}, and whose {@code auto} acceleration boots {@code probeGuest} (a
     * kernel-and-initrd directory) to check that KVM really works.
     */
    static DriverFactory factory(Path imageDir, @Nullable URI imageUrl, QemuAccel accel, @Nullable Path probeGuest) {
        return factory(imageDir, imageUrl, accel, probeGuest, QemuMigrationSettings.defaults());
    }

    /** As {@link #factory(Path, URI, QemuAccel, Path)}, with the QEMU driver's live migration settings. */
    static DriverFactory factory(
            Path imageDir,
            @Nullable URI imageUrl,
            QemuAccel accel,
            @Nullable Path probeGuest,
            QemuMigrationSettings migration) {
        return factory(imageDir, imageUrl, accel, probeGuest, migration, DEFAULT_IMAGE_CACHE_MAX_GIB);
    }

    /** The default size limit of each agent's image download cache (least recently used unused images go first). */
    static final long DEFAULT_IMAGE_CACHE_MAX_GIB = 20;

    /**
     * As {@link #factory(Path, URI, QemuAccel, Path, QemuMigrationSettings)}, with the size limit of the image
     * download cache.
     */
    static DriverFactory factory(
            Path imageDir,
            @Nullable URI imageUrl,
            QemuAccel accel,
            @Nullable Path probeGuest,
            QemuMigrationSettings migration,
            long imageCacheMaxGib) {
        if (imageCacheMaxGib < 0) {
            throw new IllegalArgumentException("the image cache limit must be 0 GiB or more");
        }
        DriverFactory builtIn = DriverFactory.builtIn();
        return (config, clock, random) -> {
            if (!config.driverName().equals(QEMU)) {
                return builtIn.create(config, clock, random);
            }
            QemuSettings settings = QemuSettings.defaults(config.stateDir()).withAccel(accel);
            if (probeGuest != null && Files.isRegularFile(probeGuest.resolve("vmlinuz"))) {
                settings = settings.withKvm(settings.kvmDevice(), probeGuest);
            }
            ImageFetcher fetcher = imageUrl == null ? null : new HttpImageFetcher(imageUrl, config.tokenFile());
            LocalImageStore images = new LocalImageStore(
                    imageDir,
                    config.stateDir().resolve("image-cache"),
                    fetcher,
                    Math.multiplyExact(imageCacheMaxGib, 1L << 30),
                    clock);
            return new QemuDriver(settings, images, clock, migration, random);
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
