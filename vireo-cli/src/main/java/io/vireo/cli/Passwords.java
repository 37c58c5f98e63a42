package io.vireo.cli;

import io.vireo.cli.client.CliErrorCode;
import io.vireo.cli.client.CliException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the CLI takes a password from: a file given on the command line (its first line), else an environment
 * variable, else the terminal, without echo. Never from a command-line argument, which other users see in the process
 * list.
 */
final class Passwords {
    /** A password file is one short line; a larger file is not one. */
    private static final int MAX_FILE_BYTES = 4096;

    private Passwords() {}

    static String read(@Nullable Path file, Map<String, String> environment, String variable, String prompt) {
        if (file != null) {
            return fromFile(file);
        }
        String value = environment.get(variable);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED,
                    "no password: pass --password-file FILE, set " + variable + ", or run in a terminal");
        }
        char[] typed = console.readPassword("%s", prompt);
        if (typed == null || typed.length == 0) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "no password given");
        }
        return new String(typed);
    }

    private static String fromFile(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " is too large to hold a password");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            String line = text.lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " holds no password");
            }
            return line;
        } catch (IOException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
