package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the product jar holds: the server, and neither the in-memory store nor the simulator, which only tests and
 * {@code ./vireo sim} use (the layering test checks the code; this checks the packaging).
 */
class ProductJarIT {
    private static final Path JAR = Path.of(System.getProperty("vireo.jar", "target/vireo.jar"));

    @Test
    void theJarHoldsTheServerButNotTheInMemoryStoreNorTheSimulator() throws IOException {
        List<String> classes;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            classes = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .toList();
        }

        assertThat(classes)
                .as("the composition root and the PostgreSQL store are in")
                .contains("io/vireo/server/launcher/Main.class", "io/vireo/store/PostgresStore.class");
        assertThat(classes)
                .as("no class of the in-memory store or of the simulator")
                .noneMatch(name -> name.startsWith("io/vireo/store/memory/") || name.startsWith("io/vireo/sim/"));
    }
}
