package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Writes a cloud-init NoCloud seed: an ISO 9660 image with the volume label {@code cidata} holding {@code meta-data},
 * {@code user-data} and, if given, {@code network-config}, made with {@code genisoimage}. Put at
 * {@link VmPaths#seedIso()}, the QEMU driver attaches it read-only to the VM at its next start.
 *
 * <p>The image is built in a temporary directory beside the target and moved into place atomically, so a VM never
 * starts with a half-written seed. Thread-safe for different targets.
 */
public final class CloudInitSeed {
    /** The volume label cloud-init's NoCloud data source looks for. */
    public static final String VOLUME_LABEL = "cidata";

    private final Path genisoimage;
    private final Duration timeout;

    /**
     * @param genisoimage {@code genisoimage}, a path or a name looked up on {@code PATH}
     * @param timeout one {@code genisoimage} run
     */
    public CloudInitSeed(Path genisoimage, Duration timeout) {
        this.genisoimage = requireNonNull(genisoimage, "genisoimage is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    public void write(CloudInitConfig config, Path iso) {
        requireNonNull(config, "config is null");
        Path target = iso.toAbsolutePath();
        Path directory = requireNonNull(target.getParent(), "iso has no parent directory");
        Path work = null;
        try {
            work = Files.createTempDirectory(directory, ".cidata-");
            List<String> command = new ArrayList<>(List.of(
                    genisoimage.toString(),
                    "-quiet",
                    "-output",
                    "seed.iso",
                    "-volid",
                    VOLUME_LABEL,
                    "-joliet",
                    "-rock"));
            command.add(document(work, "meta-data", config.metaData()));
            command.add(document(work, "user-data", config.userData()));
            String networkConfig = config.networkConfig();
            if (networkConfig != null) {
                command.add(document(work, "network-config", networkConfig));
            }
            ExternalCommand.Result result = ExternalCommand.run(command, work, timeout, null);
            if (result.exitCode() != 0) {
                throw new HypervisorException("genisoimage failed (exit " + result.exitCode() + "): "
                        + result.output().strip());
            }
            Files.move(
                    work.resolve("seed.iso"),
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot write the cloud-init seed " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static String document(Path work, String name, String content) throws IOException {
        Files.writeString(work.resolve(name), content, UTF_8);
        return name;
    }

    private static void deleteTree(@Nullable Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; it goes with the VM's directory.
        }
    }
}
