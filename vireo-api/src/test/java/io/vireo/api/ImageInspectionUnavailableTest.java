package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageInspector;
import io.vireo.images.QemuImgInspector;
import io.vireo.images.TestImages;
import io.vireo.model.Image;
import io.vireo.model.ImageStatus;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads on a server that cannot inspect images (no {@code qemu-img}): 503 UNAVAILABLE with the reason, and the image
 * left as it was (status and reason), no file kept. Nothing is uninstalled: the inspector is given a program that does
 * not exist, or a fake that loses its tool in the middle of an upload.
 */
class ImageInspectionUnavailableTest {
    private static final Path MISSING = Path.of("/nonexistent/vireo-test/qemu-img");

    @TempDir
    Path work;

    private ApiFixture api =
            new ApiFixture(files -> new QemuImgInspector(MISSING, Duration.ofSeconds(30), files::temporaryFile));

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anUploadIsRefusedWith503AndThePendingImageIsUnchanged() throws IOException {
        api.post("/api/v1/images", "{\"name\":\"disk\",\"format\":\"raw\"}");

        TestResponse response = upload("disk", TestImages.raw(work, "disk.raw", 1024 * 1024));

        JsonNode error = response.assertError(503, "UNAVAILABLE");
        assertThat(error.path("message").asText()).isEqualTo(QemuImgInspector.NOT_INSTALLED);
        assertThat(error.path("details").path("reason").asText()).isEqualTo(QemuImgInspector.NOT_INSTALLED);
        JsonNode image = api.get("/api/v1/images/disk").json();
        assertThat(image.path("status").asText()).isEqualTo("PENDING");
        assertThat(image.path("statusReason").asText()).isEmpty();
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void aRejectedImageKeepsItsReason() throws IOException {
        api.post("/api/v1/images", "{\"name\":\"disk\",\"format\":\"qcow2\"}");
        Image pending = api.images.get(ApiFixture.ADMIN, "disk");
        api.store
                .images()
                .updateContent(
                        pending.id(),
                        ImageStatus.PENDING,
                        pending.content().rejected("the image has a backing file"),
                        0);

        upload("disk", TestImages.qcow2(work, "disk.qcow2")).assertError(503, "UNAVAILABLE");

        JsonNode image = api.get("/api/v1/images/disk").json();
        assertThat(image.path("status").asText()).isEqualTo("REJECTED");
        assertThat(image.path("statusReason").asText()).isEqualTo("the image has a backing file");
    }

    /** The tool is there when the upload starts and gone when its bytes are to be inspected. */
    @Test
    void aToolLostDuringTheUploadLeavesTheImageAsItWas() throws IOException {
        api.close();
        api = new ApiFixture(files -> new ImageInspector() {
            @Override
            public Verdict inspect(java.util.UUID temporaryId, io.vireo.model.ImageFormat declared) {
                throw new VireoException(ErrorCode.UNAVAILABLE, QemuImgInspector.NOT_INSTALLED);
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.empty();
            }
        });
        api.post("/api/v1/images", "{\"name\":\"disk\",\"format\":\"raw\"}");

        JsonNode error =
                upload("disk", TestImages.raw(work, "disk.raw", 1024 * 1024)).assertError(503, "UNAVAILABLE");

        assertThat(error.path("message").asText()).isEqualTo(QemuImgInspector.NOT_INSTALLED);
        JsonNode image = api.get("/api/v1/images/disk").json();
        assertThat(image.path("status").asText()).isEqualTo("PENDING");
        assertThat(image.path("statusReason").asText()).isEmpty();
        assertThat(api.store.images().uploads()).isEmpty();
        assertThat(storedFiles()).isEmpty();
    }

    private TestResponse upload(String nameOrId, Path file) throws IOException {
        return api.send(api.request("/api/v1/images/" + nameOrId + "/file")
                .header("Content-Type", "application/octet-stream")
                .expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private java.util.List<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(api.imageDirectory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
