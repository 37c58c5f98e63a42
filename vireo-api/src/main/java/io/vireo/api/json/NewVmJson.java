package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.CreateVmRequest;
import io.vireo.controller.GuestRequest;
import io.vireo.controller.VmService;
import io.vireo.model.SshPublicKey;
import io.vireo.model.Volume;
import java.util.List;
import org.jspecify.annotations.Nullable;

@Doc("A VM to create.")
public record NewVmJson(
        @Doc(value = "VM name, unique among the project's live VMs.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "The name of an existing flavor.", pattern = Patterns.NAME)
        String flavor,

        @Doc(value = "The name of an image of the project.", pattern = Patterns.NAME)
        String image,

        @Doc(value = "Optional: the name of a server group of the project the VM joins.", pattern = Patterns.NAME)
        @Nullable
        String serverGroup,

        @Doc(value = "Optional: the availability zone the VM must run in.", pattern = Patterns.LABEL) @Nullable
        String availabilityZone,

        @Doc("Optional: traits the VM's host must have, e.g. cpu.avx2; a leading '!' means it must not have the trait.")
        @Nullable
        List<String> traits,

        @Doc("Optional: OpenSSH public keys (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa of 2048 bits or more),"
                + " one line each: 'TYPE BASE64 [COMMENT]'; the comment may hold letters, digits, spaces and"
                + " @._+-:=/. At most 16. Written into the guest's cloud-init user data.")
        @Nullable
        List<String> sshKeys,

        @Doc("Optional: cloud-init user data, a cloud-config document ('#cloud-config') or a script ('#!'), at most"
                + " 64 KiB. Stored as given and handed to the guest, never interpreted by the server.")
        @Nullable
        String userData,

        @Doc("Optional: names of data volumes of the project to attach, in order (at most 8); each must be"
                + " available.")
        @Nullable
        List<String> volumes,

        @Doc("Optional: keep the volumes when the VM is deleted (detached, their data on the VM's host) instead of"
                + " deleting them with it (default false).")
        @Nullable
        Boolean keepVolumes,

        @Doc(
                value = "Optional: how many VMs to create, 1-100 (default 1). More than one makes a gang named"
                        + " <name>-1 to <name>-<count>, created all or none, placed all or none (one scheduler"
                        + " decision, one claim transaction), answered with the gang; not with volumes.",
                minimum = 1,
                maximum = VmService.MAX_COUNT)
        @Nullable
        Integer count,

        @Doc("Optional: what happens to the VM when its host is fenced; the server's default if absent.") @Nullable
        HaPolicyJson ha) {
    public NewVmJson {
        Names.require("name", name);
        Names.require("flavor", flavor);
        Names.require("image", image);
        if (serverGroup != null) {
            Names.require("serverGroup", serverGroup);
        }
        if (availabilityZone != null) {
            CreateVmRequest.requireZone("availabilityZone", availabilityZone);
        }
        if (traits != null) {
            if (traits.contains(null)) {
                throw VireoException.invalid("traits", "must not contain null");
            }
            CreateVmRequest.requireTraits("traits", traits);
        }
        requireNoNulls("sshKeys", sshKeys, SshPublicKey.MAX_KEYS);
        requireNoNulls("volumes", volumes, Volume.MAX_PER_VM);
        if (count != null && (count < 1 || count > VmService.MAX_COUNT)) {
            throw VireoException.invalid("count", "must be 1-" + VmService.MAX_COUNT + ", got " + count);
        }
    }

    /** How many VMs the body asks for: 1 unless {@code count} says otherwise. */
    public int vmCount() {
        return count == null ? 1 : count;
    }

    private static void requireNoNulls(String field, @Nullable List<String> values, int max) {
        if (values == null) {
            return;
        }
        if (values.size() > max) {
            throw VireoException.invalid(field, "at most " + max + " entries");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw VireoException.invalid(field + "[" + i + "]", "must not be null");
            }
        }
    }

    /** The guest part for the controller, which checks the keys, the user data and the volumes. */
    private GuestRequest guest() {
        return new GuestRequest(
                sshKeys == null ? List.of() : sshKeys,
                userData,
                volumes == null ? List.of() : volumes,
                keepVolumes != null && keepVolumes);
    }

    /** The request this body asks for. */
    public CreateVmRequest toRequest(@Nullable String idempotencyKey) {
        return new CreateVmRequest(
                name,
                flavor,
                image,
                idempotencyKey,
                serverGroup,
                availabilityZone,
                traits == null ? List.of() : traits,
                guest(),
                ha == null ? null : ha.toModel());
    }
}
