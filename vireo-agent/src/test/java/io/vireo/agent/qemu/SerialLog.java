package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the test guest wrote on its serial console: one {@code VIREO-GUEST-READY} line per boot, then
 * {@code VIREO-TICK n} every second with n restarting at 1 on every boot. The log is appended across boots.
 */
record SerialLog(Path file) {
    static final String READY = "VIREO-GUEST-READY";
    static final String TICK = "VIREO-TICK ";
    static final String ACPI_POWEROFF = "VIREO-GUEST-POWEROFF acpi power button";

    List<String> lines() {
        try {
            return Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times the guest has come up. */
    int boots() {
        return (int) lines().stream().filter(line -> line.startsWith(READY)).count();
    }

    /** The tick numbers printed since the last boot, in order. */
    List<Integer> ticksOfLastBoot() {
        List<Integer> ticks = new ArrayList<>();
        for (String line : lines()) {
            if (line.startsWith(READY)) {
                ticks.clear();
            } else if (line.startsWith(TICK)) {
                parseTick(line, ticks);
            }
        }
        return ticks;
    }

    /** The last tick of the last boot, 0 if none yet. */
    int lastTick() {
        List<Integer> ticks = ticksOfLastBoot();
        return ticks.isEmpty() ? 0 : ticks.getLast();
    }

    boolean contains(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    private static void parseTick(String line, List<Integer> ticks) {
        try {
            ticks.add(Integer.parseInt(line.substring(TICK.length()).strip()));
        } catch (NumberFormatException e) {
            // A line cut short by a concurrent write: the next read sees it whole.
        }
    }
}
