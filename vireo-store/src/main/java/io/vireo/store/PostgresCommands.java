package io.vireo.store;

import io.vireo.common.ErrorCode;
import io.vireo.common.Executables;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs initdb, postgres and pg_ctl from the unpacked binaries, each with its arguments as a list (never through a
 * shell: the data directory's path is the user's). PostgreSQL refuses to run as root, so as root every command runs in
 * a new user namespace ({@code unshare -U}), where it has no capability over the host. The postmaster is started in a
 * session of its own ({@code setsid}), so a Ctrl-C meant for Vireo does not stop it before Vireo has closed its
 * connections; it outlives a Vireo killed with kill -9 (see {@link OrphanedPostmaster}).
 */
final class PostgresCommands {
    private static final Logger log = LoggerFactory.getLogger(PostgresCommands.class);
    private static final long STOP_GRACE_SECONDS = 5;

    private final EmbeddedPostgresSettings settings;
    private final Path binaries;
    private final List<String> prefix;
    private final boolean ownSession;

    private PostgresCommands(EmbeddedPostgresSettings settings, Path binaries, List<String> prefix, boolean session) {
        this.settings = settings;
        this.binaries = binaries;
        this.prefix = List.copyOf(prefix);
        this.ownSession = session;
    }

    static PostgresCommands prepare(EmbeddedPostgresSettings settings, Path binaries) throws IOException {
        List<String> prefix = new ArrayList<>();
        if (runningAsRoot()) {
            if (!Executables.onPath("unshare")) {
                throw new StoreException(
                        ErrorCode.UNAVAILABLE,
                        "PostgreSQL cannot run as root and unshare (util-linux) is missing to run it in a user"
                                + " namespace");
            }
            prefix.addAll(List.of("unshare", "-U"));
        }
        return new PostgresCommands(settings, binaries, prefix, Executables.onPath("setsid"));
    }

    /** Makes the cluster: scram-sha-256 logins only, the superuser's password from {@code passwordFile}. */
    void initdb(Path data, Path passwordFile) throws IOException {
        List<String> command = command("initdb");
        command.addAll(List.of(
                "-D",
                data.toString(),
                "-U",
                EmbeddedPostgres.SUPERUSER,
                "--auth=scram-sha-256",
                "--pwfile=" + passwordFile,
                "-E",
                "UTF8",
                "--no-locale"));
        log.info("initdb {}", data);
        int status = run(command, settings.startupTimeout().toSeconds());
        if (status != 0) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE, "initdb failed with status " + status + "; see " + logFile());
        }
    }

    /** Starts the postmaster with these {@code -c} options; the caller waits for it to accept connections. */
    Process startPostmaster(Path data, Map<String, String> options) throws IOException {
        List<String> command = new ArrayList<>();
        if (ownSession) {
            command.add("setsid");
        }
        command.addAll(command("postgres"));
        command.addAll(List.of("-D", data.toString()));
        command.addAll(EmbeddedPostgres.optionArguments(options));
        log.info("starting PostgreSQL on {}", data);
        return builder(command).start();
    }

    /** Asks a running server to stop (fast shutdown) and waits for it; nothing happens if none runs. */
    void stop(Path data) throws IOException {
        if (!Files.exists(data.resolve(OrphanedPostmaster.PID_FILE))) {
            return;
        }
        List<String> command = command("pg_ctl");
        long seconds = settings.shutdownTimeout().toSeconds();
        command.addAll(List.of("stop", "-D", data.toString(), "-m", "fast", "-w", "-t", Long.toString(seconds)));
        run(command, seconds + STOP_GRACE_SECONDS);
    }

    private List<String> command(String program) {
        List<String> command = new ArrayList<>(prefix);
        command.add(binaries.resolve("bin").resolve(program).toString());
        return command;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder.Redirect output =
                ProcessBuilder.Redirect.appendTo(logFile().toFile());
        return new ProcessBuilder(command)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(output)
                .redirectError(output);
    }

    private int run(List<String> command, long timeoutSeconds) throws IOException {
        Process process = builder(command).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StoreException(
                        ErrorCode.UNAVAILABLE,
                        command.get(prefix.size()) + " did not finish within " + timeoutSeconds + " s; see "
                                + logFile());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(prefix.size()), e);
        }
    }

    private Path logFile() {
        return settings.directory().resolve(EmbeddedPostgres.LOG_FILE);
    }

    private static boolean runningAsRoot() throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return uid instanceof Integer id && id == 0;
    }
}
