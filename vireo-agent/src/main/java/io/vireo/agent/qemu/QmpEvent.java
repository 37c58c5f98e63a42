package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous QMP event such as {@code SHUTDOWN}, {@code RESET}, {@code STOP}, {@code RESUME}, {@code POWERDOWN},
 * {@code MIGRATION} or {@code BLOCK_IO_ERROR}.
 *
 * @param name the event name as QEMU spells it
 * @param data the event's {@code data} member, an empty object if QEMU sent none; read-only by convention
 * @param timestamp when QEMU emitted the event, by QEMU's host clock
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
    public QmpEvent {
        requireNonNull(name, "name is null");
        requireNonNull(data, "data is null");
        requireNonNull(timestamp, "timestamp is null");
    }
}
