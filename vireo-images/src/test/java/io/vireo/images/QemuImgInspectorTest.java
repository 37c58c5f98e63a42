package io.vireo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ImageInspector.Accepted;
import io.vireo.controller.port.ImageInspector.Rejected;
import io.vireo.controller.port.ImageInspector.Verdict;
import io.vireo.model.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The inspector on images built by the real qemu-img: good ones accepted, each hostile kind refused with its reason. */
class QemuImgInspectorTest {
    @TempDir
    Path dir;

    private final QemuImgInspector inspector =
            new QemuImgInspector(Path.of("qemu-img"), Duration.ofSeconds(30), id -> dir.resolve(id.toString()));

    @Test
    void acceptsAPlainQcow2WithItsVirtualSize() throws IOException {
        Verdict verdict = inspector.inspectFile(TestImages.qcow2(dir, "good.qcow2"), ImageFormat.QCOW2);

        assertThat(verdict).isEqualTo(new Accepted(64L * 1024 * 1024));
    }

    @Test
    void acceptsARawImageOfItsFileSize() throws IOException {
        Verdict verdict = inspector.inspectFile(TestImages.raw(dir, "disk.raw", 1024 * 1024), ImageFormat.RAW);

        assertThat(verdict).isEqualTo(new Accepted(1024 * 1024));
    }

    @Test
    void refusesAQcow2WithABackingFile() throws IOException {
        Path image = TestImages.qcow2WithBackingFile(dir, "backing.qcow2");

        assertThat(reason(inspector.inspectFile(image, ImageFormat.QCOW2))).contains("backing file");
    }

    @Test
    void refusesAQcow2WithAnExternalDataFile() throws IOException {
        Path image = TestImages.qcow2WithDataFile(dir, "data.qcow2");

        assertThat(reason(inspector.inspectFile(image, ImageFormat.QCOW2))).contains("external data file");
    }

    @Test
    void refusesAQcow2DeclaredRaw() throws IOException {
        Path image = TestImages.qcow2(dir, "disguised.img");

        assertThat(reason(inspector.inspectFile(image, ImageFormat.RAW)))
                .isEqualTo("declared raw, but the content is a qcow2 image");
    }

    @Test
    void refusesARawImageCarryingAnotherFormatsSignature() throws IOException {
        Path image = TestImages.raw(dir, "vmdk.raw", 4096);
        byte[] bytes = Files.readAllBytes(image);
        System.arraycopy("KDMV".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        Files.write(image, bytes);

        assertThat(reason(inspector.inspectFile(image, ImageFormat.RAW))).contains("vmdk");
    }

    @Test
    void refusesATruncatedQcow2() throws IOException {
        Path image = TestImages.truncatedQcow2(dir, "cut.qcow2");

        assertThat(reason(inspector.inspectFile(image, ImageFormat.QCOW2))).contains("truncated");
    }

    @Test
    void refusesRawBytesDeclaredQcow2AndEmptyFiles() throws IOException {
        assertThat(reason(inspector.inspectFile(TestImages.raw(dir, "r", 8192), ImageFormat.QCOW2)))
                .contains("qcow2 magic");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThat(reason(inspector.inspectFile(empty, ImageFormat.RAW))).isEqualTo("the image is empty");
    }

    @Test
    void refusesAQcow2WhoseHeaderIsCutShort() throws IOException {
        Path image = TestImages.qcow2(dir, "short.qcow2");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(image), 90);
        Files.write(image, head);

        assertThat(inspector.inspectFile(image, ImageFormat.QCOW2)).isInstanceOf(Rejected.class);
    }

    @Test
    void inspectsAReceivedFileByItsTemporaryId() throws IOException {
        UUID id = UUID.randomUUID();
        Files.move(TestImages.qcow2(dir, "x.qcow2"), dir.resolve(id.toString()));

        assertThat(inspector.inspect(id, ImageFormat.QCOW2)).isInstanceOf(Accepted.class);
        assertThat(reason(inspector.inspect(id, ImageFormat.KERNEL_INITRD))).contains("only qcow2 and raw");
    }

    @Test
    void qemuImgOnThePathIsAvailable() {
        assertThat(inspector.unavailable()).isEmpty();
        assertThat(inspector.warnIfUnavailable()).isTrue();
    }

    @Test
    void aMissingQemuImgIsUnavailableWarnedAboutAndNeverBlamedOnTheImage() throws IOException {
        Path raw = TestImages.raw(dir, "disk.raw", 1024 * 1024);
        for (Path missing : List.of(Path.of("/nonexistent/vireo-test/qemu-img"), Path.of("vireo-test-no-qemu-img"))) {
            QemuImgInspector without = new QemuImgInspector(missing, Duration.ofSeconds(30), id -> raw);
            Logger logger = (Logger) LoggerFactory.getLogger(QemuImgInspector.class);
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            logged.start();
            logger.addAppender(logged);
            try {
                assertThat(without.unavailable()).as("%s", missing).contains(QemuImgInspector.NOT_INSTALLED);
                assertThat(without.warnIfUnavailable()).isFalse();
            } finally {
                logger.detachAppender(logged);
            }

            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage())
                        .startsWith(QemuImgInspector.NOT_INSTALLED + " (" + missing + ")")
                        .contains("image uploads are answered 503");
            });
            assertThatThrownBy(() -> without.inspectFile(raw, ImageFormat.RAW))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessage(QemuImgInspector.NOT_INSTALLED);
        }
    }

    private static String reason(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Rejected.class);
        return ((Rejected) verdict).reason();
    }
}
