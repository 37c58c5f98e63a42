package io.vireo.api.json;

import io.vireo.model.DesiredState;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Vm;
import io.vireo.model.VmNic;
import io.vireo.model.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A virtual machine: its spec (what was asked for), its placement and its observed status.")
public record VmJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the VM.") UUID project,

        @Doc("The observed lifecycle state, derived from the spec and what the host's agent reports.")
        VmState state,

        @Doc("Why the VM is in its state, for ERROR and some transitional states.") @Nullable
        String stateReason,

        @Doc("What the user asked for.") DesiredState desiredState,

        @Doc("The name of the host the VM is placed on; null until it is placed.") @Nullable
        String host,

        @Doc("The id of the host the VM is placed on; null until it is placed.") @Nullable
        UUID hostId,

        @Doc("The name of the VM's flavor; null only for a DELETED VM whose flavor was deleted since.") @Nullable
        String flavor,

        @Doc("The name of the VM's image; null only for a DELETED VM whose image was deleted since.") @Nullable
        String image,

        @Doc("Copied from the flavor when the VM was created.")
        int vcpus,

        @Doc("Copied from the flavor when the VM was created.")
        long memoryMib,

        @Doc("Copied from the flavor when the VM was created.")
        long diskGib,

        @Doc("The spec generation; every accepted action increases it.")
        long generation,

        @Doc("The spec generation the host's agent has applied.")
        long observedGeneration,

        @Doc("The placement epoch; every placement increases it.")
        long epoch,

        Instant createdAt,
        Instant updatedAt,

        @Doc("When the running guest was started; null when it is not running.") @Nullable
        Instant startedAt,

        @Doc("The name of the server group the VM belongs to; null if none.") @Nullable
        String serverGroup,

        @Doc("The availability zone the VM must run in; null for any.") @Nullable
        String availabilityZone,

        @Doc("Traits the VM's host must have; a leading '!' marks a trait it must not have. Sorted.")
        List<String> traits,

        @Doc("SSH keys, user data and data volumes, fixed at creation.")
        VmGuestJson guest,

        @Doc("The VM's network interfaces: one virtio NIC, its MAC address derived from the VM's id.")
        List<VmNicJson> nics,

        @Doc("The gang the VM was created in (a create with count > 1); null if it was created alone.") @Nullable
        UUID gangId,

        @Doc("The VM's live migration in flight; null when none is.") @Nullable
        VmMigrationJson migration,

        @Doc("What happens to the VM when its host is fenced, fixed at creation.")
        HaPolicyJson ha) {

    /**
     * The VM with the names of its host, flavor, image and server group, as resolved by the caller (null when
     * unknown), and its migration in flight if it has one.
     */
    public static VmJson of(
            Vm vm,
            @Nullable String host,
            @Nullable String flavor,
            @Nullable String image,
            @Nullable String serverGroup,
            @Nullable VmMigrationJson migration) {
        return new VmJson(
                vm.id(),
                vm.name(),
                vm.projectId(),
                vm.state(),
                vm.stateReason(),
                vm.desiredState(),
                host,
                vm.hostId(),
                flavor,
                image,
                vm.resources().vcpus(),
                vm.resources().memoryMib(),
                vm.resources().diskGib(),
                vm.generation(),
                vm.observedGeneration(),
                vm.epoch(),
                vm.createdAt(),
                vm.updatedAt(),
                vm.startedAt(),
                serverGroup,
                vm.constraints().availabilityZone(),
                traits(vm.constraints()),
                VmGuestJson.of(vm.guest()),
                List.of(new VmNicJson(VmNic.of(vm.id()).mac())),
                vm.constraints().gangId(),
                migration,
                HaPolicyJson.of(vm.ha()));
    }

    /** Required traits, then forbidden ones with their '!', each sorted. */
    static List<String> traits(PlacementConstraints constraints) {
        List<String> traits = new ArrayList<>(new TreeSet<>(constraints.requiredTraits()));
        new TreeSet<>(constraints.forbiddenTraits()).forEach(trait -> traits.add("!" + trait));
        return List.copyOf(traits);
    }
}
