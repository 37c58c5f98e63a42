package io.vireo.controller;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.VolumeRepository;
import io.vireo.model.GuestSpec;
import io.vireo.model.SshPublicKey;
import io.vireo.model.UserData;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Turns a {@link GuestRequest} into the {@link GuestSpec} a VM is stored with, checking every part of it. */
final class GuestSpecs {
    private GuestSpecs() {}

    /**
     * Checks the keys and user data, and resolves the volume names in the project. Whether the volumes are free is
     * checked by the store when it attaches them, after it has looked for an earlier create with the same idempotency
     * key (whose VM holds them already).
     */
    static GuestSpec of(GuestRequest request, UUID projectId, VolumeRepository volumes) {
        List<String> keys = SshPublicKey.requireAll("sshKeys", request.sshKeys());
        String userData = request.userData();
        if (userData != null) {
            UserData.require("userData", userData);
        }
        if (request.volumes().size() > Volume.MAX_PER_VM) {
            throw VireoException.invalid("volumes", "at most " + Volume.MAX_PER_VM + " volumes per VM");
        }
        Set<String> seen = new HashSet<>();
        List<VolumeAttachment> attachments = new ArrayList<>();
        @Nullable Volume pinning = null;
        for (String name : request.volumes()) {
            Names.require("volumes", name);
            if (!seen.add(name)) {
                throw VireoException.invalid("volumes", "volume '" + name + "' is listed twice");
            }
            Volume volume =
                    volumes.findByName(projectId, name).orElseThrow(() -> VireoException.notFound("volume", name));
            UUID host = volume.hostId();
            if (host != null) {
                if (pinning != null && !host.equals(pinning.hostId())) {
                    throw VireoException.conflict("volumes '" + pinning.name() + "' and '" + name + "' hold their"
                            + " data on different hosts; a VM runs on one host");
                }
                pinning = volume;
            }
            attachments.add(volume.attachment(!request.keepVolumes()));
        }
        return new GuestSpec(keys, userData, attachments);
    }
}
