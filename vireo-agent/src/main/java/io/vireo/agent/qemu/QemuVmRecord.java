package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the QEMU driver keeps of one VM in {@code vm.json}: the spec it was created from and when its current QEMU
 * process started. The name is kept for people reading the file; it is never used in a path or a QEMU argument.
 *
 * @param startedAt when the current (or last) QEMU process was started; null if it never was. A process found
 *     running after an agent restart keeps this start time.
 * @param volumes the VM's data volumes, attached after its disk; their files are in {@link VmPaths#volume}
 */
public record QemuVmRecord(
        UUID vmId,
        String name,
        long generation,
        Resources resources,
        UUID imageId,
        ImageFormat imageFormat,
        @Nullable Instant startedAt,
        List<VolumeAttachment> volumes) {
    public QemuVmRecord {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(name, "name is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(imageFormat, "imageFormat is null");
        // A record written before volumes existed has none.
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    static QemuVmRecord of(DesiredVm vm) {
        return new QemuVmRecord(
                vm.vmId(),
                vm.name(),
                vm.generation(),
                vm.resources(),
                vm.imageId(),
                vm.imageFormat(),
                null,
                vm.guest().volumes());
    }

    /** The same VM with the spec of {@code vm}; the disk and start time stay. */
    QemuVmRecord respecified(DesiredVm vm) {
        return new QemuVmRecord(
                vmId, vm.name(), vm.generation(), vm.resources(), imageId, imageFormat, startedAt, volumes);
    }

    /** Started at {@code instant}, kept at millisecond precision so that it survives the JSON file unchanged. */
    QemuVmRecord startedAt(Instant instant) {
        return new QemuVmRecord(
                vmId,
                name,
                generation,
                resources,
                imageId,
                imageFormat,
                instant.truncatedTo(ChronoUnit.MILLIS),
                volumes);
    }
}
