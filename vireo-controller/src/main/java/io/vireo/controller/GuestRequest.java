package io.vireo.controller;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The guest part of a VM create request: SSH public keys and user data for the guest's cloud-init seed, and the names
 * of data volumes of the project to attach. Checked by {@link VmService#create}.
 *
 * @param keepVolumes false: the volumes are deleted with the VM; true: they are kept, detached
 */
public record GuestRequest(List<String> sshKeys, @Nullable String userData, List<String> volumes, boolean keepVolumes) {
    public static final GuestRequest NONE = new GuestRequest(List.of(), null, List.of(), false);

    public GuestRequest {
        sshKeys = List.copyOf(sshKeys);
        volumes = List.copyOf(volumes);
    }
}
