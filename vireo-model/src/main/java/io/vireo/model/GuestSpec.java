package io.vireo.model;

import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a VM's guest gets besides its flavor and image, fixed at the VM's creation: the SSH public keys and user data
 * written into its cloud-init NoCloud seed, and its data volumes. Values are checked at the API's edge
 * ({@link SshPublicKey}, {@link UserData}); this record keeps only the structural invariants.
 *
 * @param sshKeys OpenSSH public key lines, written into the guest's {@code ssh_authorized_keys}
 * @param userData cloud-config or script text, as the user gave it, or null
 * @param volumes data volumes, attached as virtio disks after the root disk, in this order
 */
public record GuestSpec(List<String> sshKeys, @Nullable String userData, List<VolumeAttachment> volumes) {
    public static final GuestSpec NONE = new GuestSpec(List.of(), null, List.of());

    public GuestSpec {
        sshKeys = List.copyOf(sshKeys);
        volumes = List.copyOf(volumes);
        if (sshKeys.size() > SshPublicKey.MAX_KEYS) {
            throw new IllegalArgumentException("at most " + SshPublicKey.MAX_KEYS + " SSH keys");
        }
        if (volumes.size() > Volume.MAX_PER_VM) {
            throw new IllegalArgumentException("at most " + Volume.MAX_PER_VM + " volumes");
        }
        if (new HashSet<>(volumes.stream().map(VolumeAttachment::volumeId).toList()).size() != volumes.size()) {
            throw new IllegalArgumentException("a volume is attached twice");
        }
    }
}
