package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

/**
 * Part of a VM's serial console log as its agent read it: {@code data} (decoded as UTF-8, malformed bytes replaced)
 * starts at byte {@code offset}; read on from {@code nextOffset}; {@code size} is the whole log's length in bytes.
 */
public record ConsoleLog(String data, long offset, long nextOffset, long size) {
    public ConsoleLog {
        requireNonNull(data, "data is null");
        if (offset < 0 || nextOffset < offset || size < nextOffset) {
            throw new IllegalArgumentException(
                    "inconsistent console log: offset " + offset + ", next offset " + nextOffset + ", size " + size);
        }
    }
}
