package io.vireo.images;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vireo.common.ErrorCode;
import io.vireo.common.Executables;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageInspector;
import io.vireo.model.ImageFormat;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inspects an uploaded image before it may become ACTIVE, in this order, stopping at the first problem:
 *
 * <ol>
 *   <li>its own reading of the first bytes: a qcow2 must start with the qcow2 magic and must not name a backing file
 *       or an external data file, nor be encrypted or marked corrupt; a raw image must not carry the signature of a
 *       format QEMU would otherwise probe (qcow2, vmdk, vhdx, ...). QEMU has not opened the file yet;
 *   <li>{@code qemu-img info --output=json -U -f <declared format>}: the format QEMU reads must be the declared one,
 *       with no backing file, no data file, not corrupt, and for raw a virtual size equal to the file size;
 *   <li>for qcow2, {@code qemu-img check --output=json -U -f qcow2}: no corruption (a truncated file has references
 *       past its end). Leaked clusters are harmless and accepted.
 * </ol>
 *
 * <p>Without {@code qemu-img} ({@link #unavailable()}), nothing is inspected: {@link #inspect} throws UNAVAILABLE
 * rather than judge the bytes, and the server refuses uploads until it is installed.
 *
 * <p>The format is always given explicitly: {@code qemu-img} never probes. It runs from an argument list (no shell),
 * with a timeout and with its output bounded; the file name is a UUID chosen by the server. Thread-safe (stateless
 * apart from settings).
 */
public final class QemuImgInspector implements ImageInspector {
    /** Output beyond this is not JSON worth reading: the image is refused. */
    static final int MAX_OUTPUT_BYTES = 1024 * 1024;

    /** Why uploads are refused (503) while {@code qemu-img} cannot be found. */
    public static final String NOT_INSTALLED = "qemu-img is not installed on the server; images cannot be inspected";

    private static final Logger log = LoggerFactory.getLogger(QemuImgInspector.class);

    private static final int CHECK_OK = 0;
    private static final int CHECK_LEAKS_ONLY = 3;

    private final Path qemuImg;
    private final Duration timeout;
    private final Function<UUID, Path> files;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param qemuImg the {@code qemu-img} program ({@code qemu-img} alone is looked up on the PATH)
     * @param timeout how long one {@code qemu-img} run may take; an image that takes longer is refused
     * @param files where the file of a received upload is
     */
    public QemuImgInspector(Path qemuImg, Duration timeout, Function<UUID, Path> files) {
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.files = requireNonNull(files, "files is null");
    }

    /** Inspects the uploads of {@code files} with {@code qemu-img} from the PATH and a one-minute timeout. */
    public static QemuImgInspector forFiles(LocalImageFiles files) {
        return new QemuImgInspector(Path.of("qemu-img"), Duration.ofMinutes(1), files::temporaryFile);
    }

    /**
     * {@link #NOT_INSTALLED} unless {@code qemu-img} is an executable file: on the PATH for a bare name, else at its
     * path. Looked up on every call, so that installing it needs no restart.
     */
    @Override
    public Optional<String> unavailable() {
        boolean found = qemuImg.getParent() == null
                ? Executables.onPath(qemuImg.toString())
                : Files.isRegularFile(qemuImg) && Files.isExecutable(qemuImg);
        return found ? Optional.empty() : Optional.of(NOT_INSTALLED);
    }

    /**
     * At start: logs a warning saying that image uploads will be refused if {@code qemu-img} cannot be found, and how
     * to install it. Returns whether it was found.
     */
    public boolean warnIfUnavailable() {
        Optional<String> problem = unavailable();
        problem.ifPresent(reason -> log.warn(
                "{} ({}): image uploads are answered 503 until it is installed (Debian: apt-get install qemu-utils)",
                reason,
                qemuImg));
        return problem.isEmpty();
    }

    @Override
    public Verdict inspect(UUID temporaryId, ImageFormat declared) {
        return inspectFile(files.apply(temporaryId), declared);
    }

    /** The verdict on {@code file}, declared to be of format {@code declared}. */
    public Verdict inspectFile(Path file, ImageFormat declared) {
        if (declared != ImageFormat.QCOW2 && declared != ImageFormat.RAW) {
            return new Rejected("only qcow2 and raw images can be uploaded, not " + declared);
        }
        long sizeBytes;
        byte[] header;
        try {
            sizeBytes = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                header = in.readNBytes(ImageHeaders.HEADER_BYTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (sizeBytes == 0) {
            return new Rejected("the image is empty");
        }
        Optional<String> headerProblem = declared == ImageFormat.QCOW2
                ? ImageHeaders.qcow2Problem(header)
                : ImageHeaders.disguisedFormat(header)
                        .map(format -> "declared raw, but the content is a " + format + " image");
        if (headerProblem.isPresent()) {
            return new Rejected(headerProblem.get());
        }
        String format = declared.name().toLowerCase(Locale.ROOT);
        Run info = run(file, List.of("info", "--output=json", "-U", "-f", format));
        if (info.problem() != null) {
            return new Rejected(info.problem());
        }
        Verdict verdict = judgeInfo(info.json(), format, sizeBytes);
        if (verdict instanceof Rejected || declared == ImageFormat.RAW) {
            return verdict;
        }
        return judgeCheck(file, verdict);
    }

    private Verdict judgeInfo(JsonNode info, String format, long sizeBytes) {
        if (!format.equals(info.path("format").asText())) {
            return new Rejected("qemu-img reads it as '" + info.path("format").asText() + "', not " + format);
        }
        if (info.has("backing-filename") || info.has("full-backing-filename")) {
            return new Rejected("the image has a backing file");
        }
        JsonNode specific = info.path("format-specific").path("data");
        if (specific.has("data-file")) {
            return new Rejected("the image uses an external data file");
        }
        if (specific.path("corrupt").asBoolean(false)) {
            return new Rejected("qemu-img says the image is corrupt");
        }
        long virtualSize = info.path("virtual-size").asLong(-1);
        if (!info.path("virtual-size").canConvertToLong() || virtualSize <= 0) {
            return new Rejected("qemu-img gives no virtual size");
        }
        if (format.equals("raw") && virtualSize != sizeBytes) {
            return new Rejected("the raw image's virtual size " + virtualSize + " is not its file size " + sizeBytes);
        }
        return new Accepted(virtualSize);
    }

    private Verdict judgeCheck(Path file, Verdict accepted) {
        Run check = run(file, List.of("check", "--output=json", "-U", "-f", "qcow2"));
        if (check.exitCode() != CHECK_OK && check.exitCode() != CHECK_LEAKS_ONLY) {
            long corruptions = check.json().path("corruptions").asLong(0);
            return new Rejected(
                    corruptions > 0
                            ? "the qcow2 image is corrupt or truncated (" + corruptions + " corruptions)"
                            : "qemu-img check failed (exit " + check.exitCode() + "): " + check.errorLine());
        }
        return accepted;
    }

    /** One qemu-img run: its exit code, its JSON output, and a problem that refuses the image outright. */
    private record Run(
            int exitCode,
            JsonNode json,
            String errorLine,
            @Nullable String problem) {}

    private Run run(Path file, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(qemuImg.toString());
        command.addAll(arguments);
        command.add(file.toAbsolutePath().toString());
        Path directory = requireNonNull(file.toAbsolutePath().getParent(), "file has no directory");
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(directory, ".qemu-img-", ".out");
            err = Files.createTempFile(directory, ".qemu-img-", ".err");
            Process process = start(command, directory, out, err);
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return failed("qemu-img " + arguments.getFirst() + " did not finish within " + timeout);
            }
            String errorLine = firstLine(err).replace(file.toAbsolutePath().toString(), "<image>");
            if (Files.size(out) > MAX_OUTPUT_BYTES) {
                return failed("qemu-img " + arguments.getFirst() + " printed more than " + MAX_OUTPUT_BYTES + " bytes");
            }
            JsonNode json = parse(out);
            int exit = process.exitValue();
            if (json == null) {
                return failed("qemu-img " + arguments.getFirst() + " cannot read the image (exit " + exit + "): "
                        + errorLine);
            }
            return new Run(exit, json, errorLine, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + qemuImg + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running qemu-img", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Starts qemu-img; UNAVAILABLE if it cannot be run at all (gone since {@link #unavailable()} was asked). */
    private Process start(List<String> command, Path directory, Path out, Path err) {
        try {
            return new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            log.warn("cannot run {}: {}", qemuImg, e.getMessage());
            throw new VireoException(ErrorCode.UNAVAILABLE, NOT_INSTALLED, Map.of("reason", NOT_INSTALLED));
        }
    }

    private static Run failed(String problem) {
        return new Run(-1, MissingNode.getInstance(), "", problem);
    }

    private @Nullable JsonNode parse(Path out) throws IOException {
        byte[] bytes = Files.readAllBytes(out);
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(Path err) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(err)) {
            bytes = in.readNBytes(4096);
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover output file in the image directory is harmless
            }
        }
    }
}
