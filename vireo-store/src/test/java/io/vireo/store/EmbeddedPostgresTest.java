package io.vireo.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.Flavor;
import io.vireo.model.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's life on a persistent directory: restarts, a killed owner, stale lock files, a lost server. */
class EmbeddedPostgresTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @BeforeEach
    void copyTemplate() throws IOException {
        TestPostgres.copyCluster(TestPostgres.template(), directory);
    }

    /** Whatever a failed test left running on the directory must not outlive it. */
    @AfterEach
    void stopLeftovers() throws IOException {
        TestPostgres.stopLeftovers(directory);
    }

    /**
     * The owner is killed with SIGKILL, so its server keeps running on the directory. Starting again stops that
     * orphan and starts a new server on the same data.
     */
    @Test
    void restartsOnTheSameDataAfterItsOwnerWasKilled() throws Exception {
        Process owner = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedPostgresOwner.class.getName(),
                        directory.toString())
                .redirectErrorStream(true)
                .start();
        try {
            awaitReady(owner);
        } finally {
            owner.destroyForcibly();
            assertThat(owner.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
        }
        long orphan = postmasterPid();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("the killed owner's server outlives it")
                .contains(true);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Database database = Database.start(postgres.databaseSettings())) {
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(database.repositories().flavors().findByName(EmbeddedPostgresOwner.FLAVOR))
                    .isPresent();
        }
    }

    /** Reads the owner's output until it says it is ready. */
    private static void awaitReady(Process owner) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(owner.getInputStream(), UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.equals(EmbeddedPostgresOwner.READY)) {
                        return true;
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the owner exited before it was ready:\n" + seen);
        });
        assertThat(ready.get(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void keepsItsDataAcrossACleanRestartDespiteStaleLockFiles() throws Exception {
        Flavor flavor = new Flavor(UUID.randomUUID(), "kept", Instant.EPOCH, new Resources(1, 512, 1));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Database database = Database.start(postgres.databaseSettings())) {
            database.repositories().flavors().create(flavor);
        }
        Path pidFile = directory.resolve("postgres").resolve(OrphanedPostmaster.PID_FILE);
        assertThat(pidFile).doesNotExist();

        // a pid file naming a dead process, as after a power cut
        writePidFile(pidFile, deadPid());
        restartAndCheck(flavor);
        // a pid file naming a live process that is not PostgreSQL, as after a reboot that reused the pid
        writePidFile(pidFile, ProcessHandle.current().pid());
        restartAndCheck(flavor);
    }

    private void restartAndCheck(Flavor flavor) {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Database database = Database.start(postgres.databaseSettings())) {
            assertThat(database.repositories().flavors().find(flavor.id())).contains(flavor);
        }
    }

    private void writePidFile(Path pidFile, long pid) throws IOException {
        Files.write(
                pidFile,
                List.of(Long.toString(pid), directory.resolve("postgres").toString(), "0", "5432", "/tmp", "", ""));
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }

    @Test
    void aCommittedTransactionIsDurableByDefault() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgresSettings.of(directory));
                java.sql.Connection connection = postgres.superuserConnection(EmbeddedPostgres.DATABASE);
                java.sql.Statement statement = connection.createStatement()) {
            for (String setting : EmbeddedPostgres.DURABILITY.keySet()) {
                try (java.sql.ResultSet result = statement.executeQuery("SHOW " + setting)) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
    }

    @Test
    void aSecondOwnerOfTheDirectoryIsRefused() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory))) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(TestPostgres.settings(directory)))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(ProcessHandle.of(postmasterPid()).map(ProcessHandle::isAlive))
                    .contains(true);
        }
    }

    @Test
    void aLostServerMakesTheStoreUnavailable() {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
        try (Database database =
                Database.start(postgres.databaseSettings().withConnectionTimeout(Duration.ofMillis(500)))) {
            database.repositories().hosts().list();
            postgres.close();

            assertThatThrownBy(() -> database.repositories().hosts().list())
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        } finally {
            postgres.close();
        }
        assertThatThrownBy(
                        () -> Database.start(postgres.databaseSettings().withConnectionTimeout(Duration.ofMillis(500))))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    private long postmasterPid() throws IOException {
        List<String> lines = Files.readAllLines(directory.resolve("postgres").resolve(OrphanedPostmaster.PID_FILE));
        return Long.parseLong(lines.get(0).trim());
    }
}
