package io.vireo.server.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.agent.AgentConfig;
import io.vireo.agent.AgentIdentity;
import io.vireo.agent.AgentImageFetcher;
import io.vireo.agent.DriverFactory;
import io.vireo.agent.qemu.HttpImageFetcher;
import io.vireo.agent.qemu.ImageFetcher;
import io.vireo.agent.qemu.LocalImageStore;
import io.vireo.agent.qemu.QemuAccel;
import io.vireo.agent.qemu.QemuDriver;
import io.vireo.agent.qemu.QemuMigrationSettings;
import io.vireo.agent.qemu.QemuSettings;
import io.vireo.agent.qemu.VmNetwork;
import io.vireo.common.Executables;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The hypervisor drivers the launcher offers, and the default one for this machine. */
final class Drivers {
    static final String FAKE = "fake";
    static final String QEMU = "qemu";

    private Drivers() {}

    /** The default size limit of each agent's image download cache (least recently used unused images go first). */
    static final long DEFAULT_IMAGE_CACHE_MAX_GIB = 20;

    /**
     * The built-in drivers plus {@code qemu}, whose host-local base images come from {@code imageDir}, whose images
     * stored by the server are fetched ({@link #fetcher}) into {@code STATE_DIR/image-cache}, kept under {@code imageCacheMaxGib}, whose {@code auto} acceleration boots
     * {@code probeGuest} (a kernel-and-initrd directory) to check that KVM really works, and whose VMs' network
     * interfaces are plugged as {@code network} says for each agent.
     */
    static DriverFactory factory(
            Path imageDir,
            @Nullable URI imageUrl,
            QemuAccel accel,
            @Nullable Path probeGuest,
            QemuMigrationSettings migration,
            long imageCacheMaxGib,
            Function<AgentConfig, VmNetwork> network) {
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
            LocalImageStore images = new LocalImageStore(
                    imageDir,
                    config.stateDir().resolve("image-cache"),
                    fetcher(imageUrl, config),
                    Math.multiplyExact(imageCacheMaxGib, 1L << 30),
                    clock);
            return new QemuDriver(
                    settings,
                    images,
                    clock,
                    migration.withIdentity(AgentIdentity.migrationIdentity(config.identityDir())),
                    random,
                    network.apply(config));
        };
    }

    /**
     * Where the QEMU driver fetches images the server stores: over the agent's mutual-TLS connection with its host
     * certificate ({@link AgentImageFetcher}), or, with {@code imageUrl} (the server's REST API address), over HTTPS
     * (trusting the CA the agent enrolled with) or HTTP with the credential of the agent's {@code --token-file}.
     */
    static ImageFetcher fetcher(@Nullable URI imageUrl, AgentConfig config) {
        if (imageUrl == null) {
            return new AgentImageFetcher(config);
        }
        Path tokenFile = config.tokenFile();
        if (tokenFile == null) {
            throw new IllegalArgumentException("--image-url needs --token-file, the credential for image downloads");
        }
        return new HttpImageFetcher(imageUrl, tokenFile, AgentIdentity.authorityFile(config.identityDir()));
    }

    /**
     * The network of each local agent of {@code vireo up} on a machine where this process may make network devices:
     * bridge {@link VmNetwork#DEFAULT_BRIDGE} in a namespace of the agent's own, named after the agent and its state
     * directory ({@code vireo-local-1-3fa9c2}), so that the same agent finds it again after a restart and two data
     * directories never share one.
     */
    static VmNetwork namespacePerAgent(AgentConfig config) {
        Path stateDir = config.stateDir().toAbsolutePath().normalize();
        String digest;
        try {
            digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(stateDir.toString().getBytes(UTF_8)))
                    .substring(0, NAMESPACE_DIGEST_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        return VmNetwork.namespace(
                "vireo-" + config.name() + "-" + digest, VmNetwork.DEFAULT_BRIDGE, config.stateDir());
    }

    private static final int NAMESPACE_DIGEST_CHARS = 6;

    /** {@code qemu} where {@code qemu-system-x86_64} is on the PATH, else {@code fake}. */
    static String defaultDriver() {
        return Executables.onPath("qemu-system-x86_64") ? QEMU : FAKE;
    }
}
