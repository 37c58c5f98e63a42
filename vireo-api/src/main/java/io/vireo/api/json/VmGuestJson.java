package io.vireo.api.json;

import io.vireo.model.GuestSpec;
import io.vireo.model.VolumeAttachment;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("What the VM's guest was given at creation: SSH keys and user data for cloud-init, and data volumes.")
public record VmGuestJson(
        @Doc("OpenSSH public keys, written into the guest's cloud-init ssh_authorized_keys.")
        List<String> sshKeys,

        @Doc("The cloud-config or script given at creation, as given; null if none.") @Nullable
        String userData,

        @Doc("Data volumes, attached as virtio disks after the root disk, in this order.")
        List<Attachment> volumes) {

    @Doc("A data volume attached to the VM.")
    public record Attachment(
            @Doc("The volume's id; the guest sees the disk with the first 20 characters as its serial.")
            UUID id,

            long sizeGib,

            @Doc("Whether the volume is deleted with the VM; false: it is kept, detached.")
            boolean deleteOnTermination) {}

    public static VmGuestJson of(GuestSpec guest) {
        return new VmGuestJson(
                guest.sshKeys(),
                guest.userData(),
                guest.volumes().stream().map(VmGuestJson::attachment).toList());
    }

    private static Attachment attachment(VolumeAttachment volume) {
        return new Attachment(volume.volumeId(), volume.sizeGib(), volume.deleteOnTermination());
    }
}
