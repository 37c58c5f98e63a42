package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.images.TestImages;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image uploads through the REST API with the real {@code qemu-img}: good qcow2 and raw images become ACTIVE with their
 * SHA-256 and can be downloaded (by agents too); hostile images (the CVE-2024-32498 and CVE-2022-47951 classes),
 * checksum mismatches and oversized uploads are refused, leave no file behind, never become ACTIVE and so can neither
 * be used by a VM nor be downloaded by an agent.
 */
class ImageApiTest {
    private static final long MAX_IMAGE_BYTES = 2L * 1024 * 1024;

    private final ApiFixture api = new ApiFixture(
            io.vireo.api.ApiSettings.DEFAULT_MAX_REQUEST_BODY_BYTES, UnaryOperator.identity(), MAX_IMAGE_BYTES);

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aGoodQcow2BecomesActiveAndIsDownloadedByAdminsAndAgents() throws IOException {
        api.catalog.createFlavor("small", 1, 512, 1);
        api.registerHost("host-1");
        Path image = TestImages.qcow2(work, "good.qcow2");
        expect(create("good", "qcow2"), 201);

        TestResponse uploaded = upload("good", image);

        expect(uploaded, 200);
        JsonNode body = uploaded.json();
        assertThat(body.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(body.path("sha256").asText()).isEqualTo(sha256(image));
        assertThat(body.path("sizeBytes").asLong()).isEqualTo(Files.size(image));
        assertThat(storedFiles()).containsExactly(body.path("id").asText());

        HttpResponse<byte[]> byAdmin = download("good", ApiFixture.TOKEN);
        assertThat(byAdmin.statusCode()).isEqualTo(200);
        assertThat(byAdmin.body()).isEqualTo(Files.readAllBytes(image));
        assertThat(byAdmin.headers().firstValue("X-Vireo-Sha256")).contains(sha256(image));
        assertThat(byAdmin.headers().firstValue("Content-Type")).contains("application/octet-stream");
        HttpResponse<byte[]> byAgent = download(body.path("id").asText(), ApiFixture.AGENT_TOKEN);
        assertThat(byAgent.statusCode()).isEqualTo(200);
        assertThat(byAgent.body()).isEqualTo(Files.readAllBytes(image));
        assertThat(download("good", ApiFixture.AGENT_TOKEN).statusCode()).isEqualTo(400);

        expect(api.post("/api/v1/vms", "{\"name\":\"web1\",\"flavor\":\"small\",\"image\":\"good\"}"), 202);
        api.placeAndRun();
        assertThat(api.agents.sent().stream()
                        .flatMap(sent -> sent.upserts().stream())
                        .filter(vm -> vm.name().equals("web1"))
                        .map(io.vireo.model.DesiredVm::imageDownload)
                        .toList())
                .isNotEmpty()
                .containsOnly(new io.vireo.model.ImageDownload(sha256(image), Files.size(image)));

        upload("good", image).assertError(409, "CONFLICT");
        api.delete("/api/v1/images/good").assertError(409, "CONFLICT"); // web1 is made from it (ADR 12)
        assertThat(storedFiles()).containsExactly(body.path("id").asText());
    }

    @Test
    void deletingAnUnusedImageRemovesItsBytes() throws IOException {
        expect(create("good", "qcow2"), 201);
        expect(upload("good", TestImages.qcow2(work, "good.qcow2")), 200);

        expect(api.delete("/api/v1/images/good"), 204);

        assertThat(storedFiles()).isEmpty();
        api.get("/api/v1/images/good").assertError(404, "NOT_FOUND");
    }

    @Test
    void theAgentCredentialOpensOnlyTheDownload() {
        TestResponse response = api.send(HttpRequest.newBuilder(api.uri("/api/v1/images"))
                .header("Authorization", "Bearer " + ApiFixture.AGENT_TOKEN)
                .GET());

        response.assertError(401, "UNAUTHENTICATED");
    }

    @Test
    void aRawImageWithItsDeclaredChecksumBecomesActive() throws IOException {
        Path image = TestImages.raw(work, "disk.raw", 1024 * 1024);
        expect(create("disk", "raw", sha256(image).toUpperCase(java.util.Locale.ROOT)), 201);

        TestResponse uploaded = upload("disk", image);

        expect(uploaded, 200);
        assertThat(uploaded.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(uploaded.json().path("expectedSha256").asText()).isEqualTo(sha256(image));
    }

    @Test
    void aQcow2WithABackingFileIsRejected() throws IOException {
        assertRejected("qcow2", TestImages.qcow2WithBackingFile(work, "b.qcow2"), "backing file");
    }

    @Test
    void aQcow2WithAnExternalDataFileIsRejected() throws IOException {
        assertRejected("qcow2", TestImages.qcow2WithDataFile(work, "d.qcow2"), "external data file");
    }

    @Test
    void aQcow2DeclaredRawIsRejected() throws IOException {
        assertRejected("raw", TestImages.qcow2(work, "disguised.img"), "declared raw, but the content is a qcow2");
    }

    @Test
    void aTruncatedQcow2IsRejected() throws IOException {
        assertRejected("qcow2", TestImages.truncatedQcow2(work, "cut.qcow2"), "truncated");
    }

    @Test
    void aChecksumMismatchIsRejectedAndNothingKept() throws IOException {
        Path image = TestImages.raw(work, "disk.raw", 64 * 1024);
        expect(create("disk", "raw", "0".repeat(64)), 201);

        upload("disk", image).assertError(400, "INVALID_ARGUMENT");

        JsonNode stored = api.get("/api/v1/images/disk").json();
        assertThat(stored.path("status").asText()).isEqualTo("REJECTED");
        assertThat(stored.path("statusReason").asText()).contains("SHA-256 " + sha256(image));
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413() throws IOException {
        Path image = TestImages.raw(work, "big.raw", (int) MAX_IMAGE_BYTES + 1);
        expect(create("big", "raw"), 201);

        upload("big", image).assertError(413, "PAYLOAD_TOO_LARGE");
        // The limit holds without a Content-Length too: the bytes are counted as they stream in.
        TestResponse streamed = api.send(api.request("/api/v1/images/big/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return Files.newInputStream(image);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })));
        streamed.assertError(413, "PAYLOAD_TOO_LARGE");

        assertThat(api.get("/api/v1/images/big").json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void uploadsNeedOctetStreamAndAnImageThatTakesThem() throws IOException {
        Path image = TestImages.raw(work, "disk.raw", 4096);
        expect(create("disk", "raw"), 201);
        expect(api.post("/api/v1/images", "{\"name\":\"guest\",\"format\":\"kernel-initrd\"}"), 201);

        api.send(api.request("/api/v1/images/disk/file")
                        .header("Content-Type", "application/json")
                        .expectContinue(true)
                        .PUT(HttpRequest.BodyPublishers.ofFile(image)))
                .assertError(415, "UNSUPPORTED_MEDIA_TYPE");
        upload("guest", image).assertError(409, "CONFLICT");
        upload("nothing", image).assertError(404, "NOT_FOUND");
        api.post("/api/v1/images?sha256=xyz", "{\"name\":\"other\",\"format\":\"raw\"}")
                .assertError(400, "INVALID_ARGUMENT");
        assertThat(download("disk", ApiFixture.TOKEN).statusCode()).isEqualTo(409);
        assertThat(api.get("/api/v1/images/disk").json().path("status").asText())
                .isEqualTo("PENDING");
    }

    @Test
    void aConnectionDroppedMidUploadLeavesThePendingImageWithTheReasonAndNoFile() throws Exception {
        Path image = TestImages.raw(work, "disk.raw", 1024 * 1024);
        expect(create("disk", "raw"), 201);
        byte[] bytes = Files.readAllBytes(image);

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/images/disk/file HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + ApiFixture.TOKEN + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                            + bytes.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(bytes, 0, 200_000);
            out.flush();
            org.awaitility.Awaitility.await()
                    .atMost(ApiFixture.TIMEOUT)
                    .until(() -> api.get("/api/v1/images/disk")
                            .json()
                            .path("status")
                            .asText()
                            .equals("UPLOADING"));
        } // closed with 200,000 of 1,048,576 bytes sent

        org.awaitility.Awaitility.await()
                .atMost(ApiFixture.TIMEOUT)
                .until(() -> api.get("/api/v1/images/disk")
                        .json()
                        .path("status")
                        .asText()
                        .equals("PENDING"));
        JsonNode stored = api.get("/api/v1/images/disk").json();
        assertThat(stored.path("statusReason").asText()).startsWith("the upload was interrupted: ");
        org.awaitility.Awaitility.await()
                .atMost(ApiFixture.TIMEOUT)
                .until(() -> storedFiles().isEmpty());
        expect(upload("disk", image), 200);
        assertThat(api.get("/api/v1/images/disk").json().path("status").asText())
                .isEqualTo("ACTIVE");
    }

    private void assertRejected(String format, Path image, String reason) throws IOException {
        api.catalog.createFlavor("small", 1, 512, 1);
        expect(create("bad", format), 201);

        TestResponse refused = upload("bad", image);

        refused.assertError(400, "INVALID_ARGUMENT");
        assertThat(refused.json().path("error").path("message").asText()).contains(reason);
        JsonNode stored = api.get("/api/v1/images/bad").json();
        assertThat(stored.path("status").asText()).isEqualTo("REJECTED");
        assertThat(stored.path("statusReason").asText()).contains(reason);
        assertThat(stored.path("sha256").isNull()).isTrue();
        assertThat(storedFiles()).isEmpty();
        api.post("/api/v1/vms", "{\"name\":\"web1\",\"flavor\":\"small\",\"image\":\"bad\"}")
                .assertError(409, "CONFLICT");
        assertThat(download(stored.path("id").asText(), ApiFixture.AGENT_TOKEN).statusCode())
                .isEqualTo(409);
    }

    private TestResponse create(String name, String format) {
        return api.post("/api/v1/images", "{\"name\":\"" + name + "\",\"format\":\"" + format + "\"}");
    }

    private TestResponse create(String name, String format, String sha256) {
        return api.post("/api/v1/images?sha256=" + sha256, "{\"name\":\"" + name + "\",\"format\":\"" + format + "\"}");
    }

    private TestResponse upload(String nameOrId, Path file) throws IOException {
        return api.send(api.request("/api/v1/images/" + nameOrId + "/file")
                .header("Content-Type", "application/octet-stream")
                .expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private HttpResponse<byte[]> download(String nameOrId, String token) {
        HttpRequest request = HttpRequest.newBuilder(api.uri("/api/v1/images/" + nameOrId + "/file"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        try {
            return api.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Names of the files the server keeps, without qemu-img's and uploads' temporary ones, which must be gone too. */
    private java.util.List<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(api.imageDirectory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void expect(TestResponse response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }
}
