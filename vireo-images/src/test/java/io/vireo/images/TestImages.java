package io.vireo.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds good and hostile images with the real {@code qemu-img}, for the tests of inspection and upload. */
public final class TestImages {
    private TestImages() {}

    /** An empty qcow2 of 64 MiB. */
    public static Path qcow2(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        qemuImg(dir, "create", "-q", "-f", "qcow2", file.toString(), "64M");
        return file;
    }

    /** A qcow2 whose backing file is the host's /etc/passwd, read as raw. */
    public static Path qcow2WithBackingFile(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        qemuImg(dir, "create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", file.toString(), "64M");
        return file;
    }

    /** A qcow2 whose data lives in an external file {@code data} next to it. */
    public static Path qcow2WithDataFile(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Path data = dir.resolve(name + ".data");
        qemuImg(dir, "create", "-q", "-f", "qcow2", "-o", "data_file=" + data, file.toString(), "64M");
        return file;
    }

    /** A qcow2 with 1 MiB of data written into it, then cut short. */
    public static Path truncatedQcow2(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        qemuImg(dir, "create", "-q", "-f", "qcow2", file.toString(), "64M");
        Path raw = dir.resolve(name + ".raw");
        try (RandomAccessFile out = new RandomAccessFile(raw.toFile(), "rw")) {
            byte[] block = new byte[1024 * 1024];
            java.util.Arrays.fill(block, (byte) 0x5a);
            out.write(block);
        }
        Path full = dir.resolve(name + ".full");
        qemuImg(dir, "convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(), full.toString());
        long size = Files.size(full);
        try (RandomAccessFile cut = new RandomAccessFile(full.toFile(), "rw")) {
            cut.setLength(size - 300 * 1024);
        }
        Files.move(full, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(raw);
        return file;
    }

    /** A raw image of {@code sizeBytes} filled with a pattern. */
    public static Path raw(Path dir, String name, int sizeBytes) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = new byte[sizeBytes];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        bytes[0] = 0;
        Files.write(file, bytes);
        return file;
    }

    private static void qemuImg(Path dir, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu-img.log").toFile())
                .start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("qemu-img finished")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        assertThat(process.exitValue())
                .as("qemu-img %s: %s", command, Files.readString(dir.resolve("qemu-img.log")))
                .isZero();
    }
}
