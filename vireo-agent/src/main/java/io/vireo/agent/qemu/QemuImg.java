package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@code qemu-img}: copy-on-write overlays over a base image, blank disks, image sizes. Formats are always given
 * explicitly ({@code -f}, {@code -F}): QEMU never guesses a format from the content, which a guest could forge.
 * Thread-safe (stateless apart from settings).
 */
final class QemuImg {
    private static final long BYTES_PER_GIB = 1024L * 1024 * 1024;

    private final Path binary;
    private final Duration timeout;
    private final ObjectMapper mapper = new ObjectMapper();

    QemuImg(Path binary, Duration timeout) {
        this.binary = requireNonNull(binary, "binary is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Creates {@code overlay}, a qcow2 of {@code sizeGib} whose unwritten blocks read from {@code base}. */
    void createOverlay(Path base, ImageFormat baseFormat, Path overlay, long sizeGib) {
        run(
                List.of(
                        binary.toString(),
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        "-b",
                        base.toString(),
                        "-F",
                        diskFormat(baseFormat),
                        overlay.toString(),
                        sizeGib + "G"),
                directoryOf(overlay));
    }

    /** Creates {@code disk}, an empty qcow2 of {@code sizeGib}. */
    void createBlank(Path disk, long sizeGib) {
        run(
                List.of(binary.toString(), "create", "-q", "-f", "qcow2", disk.toString(), sizeGib + "G"),
                directoryOf(disk));
    }

    /** The size the guest sees of {@code image}, in bytes. */
    long virtualSizeBytes(Path image, ImageFormat format) {
        String output = run(
                List.of(binary.toString(), "info", "-f", diskFormat(format), "--output=json", image.toString()),
                directoryOf(image));
        try {
            JsonNode info = mapper.readTree(output);
            if (info == null || !info.path("virtual-size").canConvertToLong()) {
                throw new HypervisorException("qemu-img info gave no virtual size for " + image);
            }
            return info.path("virtual-size").asLong();
        } catch (IOException e) {
            throw new HypervisorException("qemu-img info of " + image + " is not JSON: " + e.getMessage(), e);
        }
    }

    static long gibibytes(long bytes) {
        return (bytes + BYTES_PER_GIB - 1) / BYTES_PER_GIB;
    }

    private String run(List<String> command, Path workDir) {
        ExternalCommand.Result result = ExternalCommand.run(command, workDir, timeout, null);
        if (result.exitCode() != 0) {
            throw new HypervisorException("qemu-img " + command.get(1) + " failed (exit " + result.exitCode() + "): "
                    + result.output().strip());
        }
        return result.output();
    }

    private static Path directoryOf(Path file) {
        return requireNonNull(file.toAbsolutePath().getParent(), "file has no parent directory");
    }

    private static String diskFormat(ImageFormat format) {
        if (format == ImageFormat.KERNEL_INITRD) {
            throw new IllegalArgumentException("a kernel and initrd is not a disk image");
        }
        return format.name().toLowerCase(Locale.ROOT);
    }
}
