package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.ImageService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.port.Repositories;
import io.vireo.images.LocalImageFiles;
import io.vireo.images.QemuImgInspector;
import io.vireo.images.TestImages;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.ImageStatus;
import io.vireo.model.Project;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image uploads that do not finish, against a real PostgreSQL and real files: a client stream cut short, a replica
 * restarted while receiving, a second replica that must leave a live upload alone and reclaim a stale one, and the
 * start-time sweep of files no image references. Bytes are checked by the real {@code qemu-img}.
 */
class ImageUploadRecoveryTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test");
    private static final UUID REPLICA_A = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    private static final UUID REPLICA_B = UUID.fromString("00000000-0000-0000-0000-0000000000bb");
    private static final int IMAGE_BYTES = 1 << 20;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Database database;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private Repositories store;

    @TempDir
    Path temp;

    private Path directoryA;
    private byte[] imageBytes;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("image_uploads"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        TestPostgres.truncate(database);
        store = database.repositories();
        directoryA = Files.createDirectories(temp.resolve("replica-a"));
        imageBytes = Files.readAllBytes(TestImages.raw(temp, "disk.raw", IMAGE_BYTES));
    }

    private ImageService replica(UUID replicaId, Path directory) {
        LocalImageFiles files = new LocalImageFiles(directory);
        return new ImageService(
                store,
                files,
                QemuImgInspector.forFiles(files),
                IdGenerator.secure(),
                clock,
                IMAGE_BYTES * 2L,
                replicaId,
                new ImageService.UploadLeases(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    }

    private Image pendingImage(ImageService service) {
        return service.create(ADMIN, "disk", ImageFormat.RAW, null);
    }

    private Image image(Image image) {
        return store.images().find(image.id()).orElseThrow();
    }

    private static List<String> files(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aClientStreamThatFailsMidwayLeavesTheImagePendingWithTheReasonAndNoFile() throws IOException {
        ImageService a = replica(REPLICA_A, directoryA);
        Image image = pendingImage(a);
        InputStream failing =
                new SequenceInputStream(new ByteArrayInputStream(imageBytes, 0, 100_000), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("Early EOF");
                    }
                });

        assertThatThrownBy(() -> a.upload(ADMIN, "disk", failing, IMAGE_BYTES))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("the upload was interrupted: the upload stream failed")
                .hasMessageContaining("Early EOF");

        assertThat(image(image).content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(image(image).content().reason()).startsWith("the upload was interrupted");
        assertThat(store.images().uploads()).isEmpty();
        assertThat(files(directoryA)).isEmpty();
        assertThat(a.upload(ADMIN, "disk", new ByteArrayInputStream(imageBytes), IMAGE_BYTES)
                        .content()
                        .status())
                .as("the image takes a new upload")
                .isEqualTo(ImageStatus.ACTIVE);
        assertThat(files(directoryA)).containsExactly(image.id().toString());
    }

    @Test
    void aStreamShorterThanItsDeclaredLengthIsAnInterruptionNotABadImage() throws IOException {
        ImageService a = replica(REPLICA_A, directoryA);
        Image image = pendingImage(a);

        assertThatThrownBy(() -> a.upload(ADMIN, "disk", new ByteArrayInputStream(imageBytes, 0, 4096), IMAGE_BYTES))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("the upload stream ended after 4096 of " + IMAGE_BYTES + " bytes");

        assertThat(image(image).content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(files(directoryA)).isEmpty();
    }

    @Test
    void aRestartedReplicaReclaimsItsOwnUploadAtOnceAndRemovesThePartialFile() throws Exception {
        ImageService before = replica(REPLICA_A, directoryA);
        Image image = pendingImage(before);
        Upload cut = Upload.begin(before, imageBytes, 200_000);
        await().atMost(WAIT).until(() -> files(directoryA).size() == 1 && cut.sent());
        assertThat(image(image).content().status()).isEqualTo(ImageStatus.UPLOADING);
        String partial = files(directoryA).getFirst();
        assertThat(partial).endsWith(".part");
        assertThat(Files.size(directoryA.resolve(partial))).isPositive();

        // The process "crashed": its thread no longer renews anything. The same replica starts again.
        ImageService after = replica(REPLICA_A, directoryA);
        assertThat(after.recover()).isEqualTo(new ImageService.Recovery(1, 0));

        Image reclaimed = image(image);
        assertThat(reclaimed.content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(reclaimed.content().reason())
                .isEqualTo("the upload was interrupted: the server receiving it restarted; upload the file again");
        assertThat(files(directoryA)).doesNotContain(partial);
        assertThat(store.images().uploads()).isEmpty();

        Image active = after.upload(ADMIN, "disk", new ByteArrayInputStream(imageBytes), IMAGE_BYTES);
        assertThat(active.content().status()).isEqualTo(ImageStatus.ACTIVE);

        cut.finish(); // the old stream completes after all: it must change nothing
        assertThat(cut.outcome()).failsWithin(WAIT).withThrowableThat().withMessageContaining("try again");
        assertThat(image(image)).isEqualTo(active);
        assertThat(files(directoryA)).containsExactly(image.id().toString());
    }

    @Test
    void anotherReplicaLeavesALiveUploadAloneAndReclaimsItOnlyOnceStale() throws Exception {
        ImageService a = replica(REPLICA_A, directoryA);
        ImageService b = replica(REPLICA_B, Files.createDirectories(temp.resolve("replica-b")));
        Image image = pendingImage(a);
        Upload live = Upload.begin(a, imageBytes, 300_000);
        await().atMost(WAIT).until(live::sent);

        assertThat(b.recover()).as("B starts while A receives").isEqualTo(new ImageService.Recovery(0, 0));
        clock.advance(Duration.ofSeconds(50));
        a.renewUploads();
        clock.advance(Duration.ofSeconds(50));
        assertThat(b.reclaimStaleUploads()).as("renewed 50 s ago").isZero();
        assertThat(image(image).content().status()).isEqualTo(ImageStatus.UPLOADING);

        live.finish();
        assertThat(live.outcome()).succeedsWithin(WAIT);
        assertThat(image(image).content().status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(files(directoryA)).containsExactly(image.id().toString());

        // A second upload whose replica stops renewing: after staleAfter, B reclaims it; A's late finish is refused.
        Image second = a.create(ADMIN, "second", ImageFormat.RAW, null);
        Upload stalled = Upload.begin(a, "second", imageBytes, 300_000);
        await().atMost(WAIT).until(stalled::sent);
        clock.advance(Duration.ofSeconds(59));
        assertThat(b.reclaimStaleUploads()).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(b.reclaimStaleUploads()).isOne();
        assertThat(image(second).content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(image(second).content().reason())
                .startsWith("the upload was interrupted: the server receiving it stopped (last heard of at ");

        stalled.finish();
        assertThat(stalled.outcome()).failsWithin(WAIT).withThrowableThat().withMessageContaining("reclaimed");
        assertThat(image(second).content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(files(directoryA)).containsExactly(image.id().toString());
    }

    @Test
    void filesNoImageReferencesAreRemovedAtStartAndOthersKept() throws IOException {
        ImageService a = replica(REPLICA_A, directoryA);
        Image active = a.upload(ADMIN, pendingImage(a).name(), new ByteArrayInputStream(imageBytes), IMAGE_BYTES);
        Image pending = a.create(ADMIN, "never-uploaded", ImageFormat.QCOW2, null);
        String deletedImage = UUID.randomUUID().toString();
        String partial = UUID.randomUUID() + ".part";
        for (String orphan : List.of(deletedImage, partial, pending.id().toString())) {
            Files.write(directoryA.resolve(orphan), new byte[] {1, 2, 3});
        }
        Files.writeString(directoryA.resolve("NOTES.txt"), "not a file Vireo makes");

        assertThat(replica(REPLICA_A, directoryA).recover()).isEqualTo(new ImageService.Recovery(0, 3));

        assertThat(files(directoryA)).containsExactlyInAnyOrder(active.id().toString(), "NOTES.txt");
        assertThat(a.download(ADMIN, "disk").stream().readAllBytes()).isEqualTo(imageBytes);
    }

    /** An upload on its own thread whose body gives part of the bytes at once and the rest once the test says so. */
    private static final class Upload extends InputStream {
        private final byte[] bytes;
        private final int firstBytes;
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean sent;
        private int position;
        private final CompletableFuture<Image> outcome;

        private Upload(ImageService service, String name, byte[] bytes, int firstBytes) {
            this.bytes = bytes;
            this.firstBytes = firstBytes;
            this.outcome = CompletableFuture.supplyAsync(() -> service.upload(ADMIN, name, this, bytes.length));
        }

        static Upload begin(ImageService service, byte[] bytes, int firstBytes) {
            return new Upload(service, "disk", bytes, firstBytes);
        }

        static Upload begin(ImageService service, String name, byte[] bytes, int firstBytes) {
            return new Upload(service, name, bytes, firstBytes);
        }

        /** True once every byte of the first part was read, and so written: the reader waits at the gate. */
        boolean sent() {
            return sent;
        }

        void finish() {
            gate.countDown();
        }

        CompletableFuture<Image> outcome() {
            return outcome;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position == firstBytes) {
                sent = true;
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            int end = position < firstBytes ? firstBytes : bytes.length;
            if (position >= end) {
                return -1;
            }
            int count = Math.min(length, end - position);
            System.arraycopy(bytes, position, buffer, offset, count);
            position += count;
            return count;
        }
    }

    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
