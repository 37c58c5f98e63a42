package io.vireo.store;

import io.vireo.model.Flavor;
import io.vireo.model.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A process that owns an embedded PostgreSQL until it is killed: starts the server in the directory given as the only
 * argument, writes a flavor named {@value #FLAVOR}, prints {@value #READY}, and waits for ever.
 * {@link EmbeddedPostgresTest} kills it with SIGKILL to leave the server orphaned.
 */
public final class EmbeddedPostgresOwner {
    static final String READY = "READY";
    static final String FLAVOR = "survivor";

    private EmbeddedPostgresOwner() {}

    public static void main(String[] args) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(Path.of(args[0])));
        Database database = Database.start(postgres.databaseSettings());
        database.repositories()
                .flavors()
                .create(new Flavor(UUID.randomUUID(), FLAVOR, Instant.EPOCH, new Resources(1, 512, 1)));
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // owned until killed; the parent never writes
        }
    }
}
