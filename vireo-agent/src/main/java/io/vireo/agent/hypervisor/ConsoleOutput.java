package io.vireo.agent.hypervisor;

import java.util.Arrays;

/**
 * Part of a VM's serial console log: {@code data} starts at byte {@code offset} of the log, {@code nextOffset} is
 * where the following read should start and {@code size} is the log's whole length when it was read.
 */
public record ConsoleOutput(byte[] data, long offset, long nextOffset, long size) {
    public ConsoleOutput {
        data = data.clone();
        if (offset < 0 || nextOffset != offset + data.length || size < nextOffset) {
            throw new IllegalArgumentException("inconsistent console output: offset " + offset + ", " + data.length
                    + " bytes, next offset " + nextOffset + ", size " + size);
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * Where a read of a log of {@code size} bytes starts: {@code offset} itself, or for a negative offset the last
     * {@code |offset|} bytes; clamped to the log.
     */
    public static long start(long offset, long size) {
        if (offset < 0) {
            return Math.max(0, size + Math.max(offset, -size));
        }
        return Math.min(offset, size);
    }

    /** Reads at most {@code maxBytes} of a log held whole in memory, as {@link HypervisorDriver#readConsole} does. */
    public static ConsoleOutput slice(byte[] log, long offset, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        int start = (int) start(offset, log.length);
        int end = (int) Math.min(log.length, (long) start + maxBytes);
        return new ConsoleOutput(Arrays.copyOfRange(log, start, end), start, end, log.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConsoleOutput that
                && Arrays.equals(data, that.data)
                && offset == that.offset
                && nextOffset == that.nextOffset
                && size == that.size;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Long.hashCode(offset ^ nextOffset ^ size);
    }

    @Override
    public String toString() {
        return "ConsoleOutput[" + data.length + " bytes, offset=" + offset + ", nextOffset=" + nextOffset + ", size="
                + size + "]";
    }
}
