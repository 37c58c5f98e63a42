package io.vireo.controller;

import io.vireo.controller.port.ImageRepository;
import io.vireo.model.DesiredVm;
import io.vireo.model.Image;
import io.vireo.model.ImageDownload;
import io.vireo.model.ImageFormat;
import io.vireo.model.Vm;
import org.jspecify.annotations.Nullable;

/** Builds what an agent is told about a VM from the stored VM and its image. */
final class DesiredVms {
    private DesiredVms() {}

    static DesiredVm of(Vm vm, ImageRepository images) {
        Image image = images.find(vm.imageId()).orElse(null);
        return new DesiredVm(
                vm.id(),
                vm.name(),
                vm.generation(),
                vm.epoch(),
                vm.desiredState(),
                vm.rebootCount(),
                vm.resources(),
                vm.imageId(),
                image == null ? "" : image.name(),
                image == null ? ImageFormat.QCOW2 : image.format(),
                download(image),
                vm.guest());
    }

    /** What the agent fetches from the server: nothing for a host-local image. */
    private static @Nullable ImageDownload download(@Nullable Image image) {
        if (image == null) {
            return null;
        }
        String sha256 = image.content().sha256();
        return sha256 == null ? null : new ImageDownload(sha256, image.sizeBytes());
    }
}
