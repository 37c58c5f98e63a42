package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.model.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's raw capacity as the QEMU driver reports it: the CPUs the agent may use, the memory in
 * {@code /proc/meminfo} and the size of the file system holding the VMs' disks. Reservations for the host itself are
 * the server's policy, not the driver's. Thread-safe (stateless).
 */
final class HostCapacity {
    private static final long KIB_PER_MIB = 1024;
    private static final long BYTES_PER_GIB = 1024L * 1024 * 1024;

    private HostCapacity() {}

    static Resources probe(Path meminfo, Path vmDirectory) {
        try {
            long diskGib = Files.getFileStore(vmDirectory).getTotalSpace() / BYTES_PER_GIB;
            return new Resources(Runtime.getRuntime().availableProcessors(), memTotalMib(meminfo), diskGib);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the host's capacity", e);
        }
    }

    /** {@code MemTotal} of a {@code /proc/meminfo} file, in MiB. */
    static long memTotalMib(Path meminfo) throws IOException {
        for (String line : Files.readAllLines(meminfo, UTF_8)) {
            if (line.startsWith("MemTotal:")) {
                String[] fields = line.trim().split("\\s+");
                return Long.parseLong(fields[1]) / KIB_PER_MIB;
            }
        }
        throw new IOException("no MemTotal in " + meminfo);
    }
}
