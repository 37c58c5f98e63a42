package io.vireo.agent.qemu;

import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads part of a VM's {@link VmPaths#serialLog()}. Neither the VM directory nor the log may be a symbolic link, and
 * the log must be a regular file: the guest controls what is written to it, not where it lies, and nothing outside the
 * VM's directory is ever read. A log that does not exist yet (a VM never started) reads as empty.
 */
final class SerialLogReader {
    private SerialLogReader() {}

    static ConsoleOutput read(VmPaths paths, long offset, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        if (!Files.isDirectory(paths.directory(), LinkOption.NOFOLLOW_LINKS)) {
            throw new HypervisorException("the VM directory " + paths.directory() + " is not a plain directory");
        }
        Path log = paths.serialLog();
        try (SeekableByteChannel channel =
                Files.newByteChannel(log, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes =
                    Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new HypervisorException("the serial log " + log + " is not a regular file");
            }
            long size = channel.size();
            long start = ConsoleOutput.start(offset, size);
            int length = (int) Math.min(maxBytes, size - start);
            byte[] data = readFully(channel.position(start), length);
            return new ConsoleOutput(data, start, start + data.length, size);
        } catch (NoSuchFileException e) {
            return new ConsoleOutput(new byte[0], 0, 0, 0);
        } catch (IOException e) {
            throw new HypervisorException("cannot read the serial log " + log + ": " + e.getMessage(), e);
        }
    }

    /** Reads up to {@code length} bytes; fewer if the file was truncated meanwhile. */
    private static byte[] readFully(SeekableByteChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            // Keep reading: a channel may return fewer bytes than asked.
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
