package io.vireo.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image bytes are the server's alone: the directory 0700, every file 0600, including those an older Vireo wrote. */
class LocalImageFilesTest {
    @TempDir
    Path root;

    @Test
    void imageFilesAreReadableByTheServerOnly() throws IOException {
        Path directory = root.resolve("image-files");
        Files.createDirectories(directory);
        Path older = directory.resolve(UUID.randomUUID().toString());
        Files.writeString(older, "written by an older Vireo");
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-r--r--"));

        LocalImageFiles files = new LocalImageFiles(directory);
        assertThat(mode(directory)).isEqualTo("rwx------");
        assertThat(mode(older)).isEqualTo("rw-------");

        UUID upload = UUID.randomUUID();
        files.receive(upload, new ByteArrayInputStream(new byte[] {1, 2, 3}), 1024);
        assertThat(mode(files.temporaryFile(upload))).isEqualTo("rw-------");
        UUID image = UUID.randomUUID();
        files.commit(upload, image);
        assertThat(mode(files.imageFile(image))).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
