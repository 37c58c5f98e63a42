package io.vireo.api.json;

import io.vireo.controller.port.ConsoleLog;

@Doc("Part of a VM's serial console log, as its host's agent read it.")
public record ConsoleLogJson(
        @Doc("The log's bytes from offset, decoded as UTF-8 (malformed bytes replaced).")
        String data,

        @Doc("Where data starts, in bytes from the start of the log.")
        long offset,

        @Doc("Where to read on: pass it as offset to get what follows.")
        long nextOffset,

        @Doc("The whole log's length in bytes when it was read.")
        long size) {
    public static ConsoleLogJson of(ConsoleLog log) {
        return new ConsoleLogJson(log.data(), log.offset(), log.nextOffset(), log.size());
    }
}
