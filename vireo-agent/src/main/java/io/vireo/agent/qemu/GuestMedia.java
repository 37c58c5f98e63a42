package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.VolumeAttachment;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's media besides its own disk: the cloud-init NoCloud seed and the data volume files. Used by
 * {@link QemuDriver} under the VM's lock.
 *
 * <p>The seed is written for VMs booting from a disk image (qcow2 or raw: cloud images, which run cloud-init), never
 * for kernel-and-initrd guests, which have no cloud-init and take their settings from the kernel command line. It
 * holds {@code meta-data} (instance id = the VM's UUID, local host name = the VM's name), {@code user-data} (see
 * {@link CloudInitUserData}) and no {@code network-config}: with no address management yet, cloud-init's fallback
 * (DHCP on the first interface, the VM's one NIC) is what a minimal version 2 config would say anyway.
 *
 * <p>Volume files are {@code <stateDir>/volumes/<volume-uuid>.qcow2} ({@link VmPaths#volume}), blank qcow2 of the
 * volume's size. A file that exists already is used as it is (a create retried after a crash). They are deleted with
 * the VM unless the attachment says to keep them; a kept file stays where it is.
 */
final class GuestMedia {
    private static final Logger log = LoggerFactory.getLogger(GuestMedia.class);

    private final CloudInitSeed seed;
    private final QemuImg qemuImg;

    GuestMedia(CloudInitSeed seed, QemuImg qemuImg) {
        this.seed = requireNonNull(seed, "seed is null");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
    }

    /** Whether a VM of this image format gets a cloud-init seed. */
    static boolean seeded(ImageFormat format) {
        return format != ImageFormat.KERNEL_INITRD;
    }

    /**
     * Writes the seed (if the VM gets one) and creates the volume files that do not exist. On failure, removes the
     * volume files it created and throws.
     */
    void create(DesiredVm vm, VmPaths paths) {
        List<Path> created = new ArrayList<>();
        try {
            for (VolumeAttachment volume : vm.guest().volumes()) {
                Path file = paths.volume(volume.volumeId());
                if (Files.exists(file)) {
                    log.info(
                            "VM {}: volume {} has data on this host already: {} is used as it is",
                            vm.vmId(),
                            volume.volumeId(),
                            file);
                } else if (createVolumeFile(file, volume.sizeGib())) {
                    created.add(file);
                }
            }
            if (seeded(vm.imageFormat())) {
                writeSeed(vm, paths);
            }
        } catch (RuntimeException e) {
            created.forEach(GuestMedia::deleteQuietly);
            throw e;
        }
    }

    private void writeSeed(DesiredVm vm, VmPaths paths) {
        String userData = CloudInitUserData.render(
                vm.vmId(), vm.guest().sshKeys(), vm.guest().userData());
        seed.write(new CloudInitConfig(vm.vmId().toString(), vm.name(), userData, null), paths.seedIso());
    }

    /**
     * For a VM arriving by live migration: blank volume files of the spec's sizes, replacing any left by an earlier
     * attempt (the disk copy fills only what the source holds, so a stale file would show through), and the seed
     * written again from the spec: the same {@code meta-data} (instance id) and {@code user-data} as on the source, so
     * cloud-init does not run again. Only the ISO's own timestamps differ. The files are made in parallel (each is an
     * external command, and this is on the migration's critical path). On failure throws; the caller removes the
     * VM's volume files ({@link #deleteAllVolumes}).
     */
    void createIncoming(DesiredVm vm, VmPaths paths) {
        List<Runnable> steps = new ArrayList<>();
        for (VolumeAttachment volume : vm.guest().volumes()) {
            Path file = paths.volume(volume.volumeId());
            if (Files.exists(file)) {
                log.warn("VM {}: replacing volume file {} left by an earlier incoming migration", vm.vmId(), file);
                deleteQuietly(file);
            }
            createDirectories(requireNonNull(file.getParent(), "a volume file has a directory"));
            steps.add(() -> qemuImg.createBlank(file, volume.sizeGib()));
        }
        if (seeded(vm.imageFormat())) {
            steps.add(() -> writeSeed(vm, paths));
        }
        ParallelSteps.run(steps);
    }

    /**
     * Deletes every volume file of the VM, kept or not: after it has migrated away (the data lives on the destination
     * now), or on a destination whose incoming migration failed (the files are partial copies).
     */
    static void deleteAllVolumes(QemuVmRecord record, VmPaths paths) {
        for (VolumeAttachment volume : record.volumes()) {
            deleteQuietly(paths.volume(volume.volumeId()));
        }
    }

    /**
     * Deletes the files of the VM's volumes that go with it; kept ones stay. A VM whose record is unreadable keeps its
     * volume files (which ones are its own is unknown), and the log says so.
     */
    static void deleteVolumes(QemuVmRecords records, VmPaths paths) {
        QemuVmRecord record;
        try {
            Optional<QemuVmRecord> read = records.read(paths);
            if (read.isEmpty()) {
                return;
            }
            record = read.get();
        } catch (HypervisorException e) {
            log.warn("{}: volume files not deleted: {}", paths.directory(), e.getMessage());
            return;
        }
        for (VolumeAttachment volume : record.volumes()) {
            Path file = paths.volume(volume.volumeId());
            if (volume.deleteOnTermination()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new HypervisorException("cannot delete volume file " + file + ": " + e.getMessage(), e);
                }
            } else {
                log.info("VM {}: kept volume {} stays at {}", record.vmId(), volume.volumeId(), file);
            }
        }
    }

    /**
     * Makes a blank volume file at {@code file} unless one is there: qemu-img writes {@code <file>.new}, which is then
     * hard-linked to {@code file}, an operation that fails rather than replace an existing file. So existing data is
     * never overwritten, even by a second create racing this one. Returns whether this call made the file.
     */
    private boolean createVolumeFile(Path file, long sizeGib) {
        createDirectories(requireNonNull(file.getParent(), "a volume file has a directory"));
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(fresh);
            qemuImg.createBlank(fresh, sizeGib);
            Files.createLink(file, fresh);
            return true;
        } catch (FileAlreadyExistsException e) {
            log.info("volume file {} appeared meanwhile; it is used as it is", file);
            return false;
        } catch (IOException e) {
            throw new HypervisorException("cannot create volume file " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(fresh);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new HypervisorException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }
}
