package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.ImageRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.Volume;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Flavors, image records and data volumes: validated creation, lookup and deletion. Volumes are attached by
 * {@link VmService#create} and go with their VM unless kept. Also the operator's per-host capacity policy (reserved
 * amounts and allocation ratios). Thread-safe.
 */
public final class CatalogService {
    /** Upper bounds that keep a flavor within what any host could ever offer. */
    public static final int MAX_VCPUS = 1024;

    public static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
    public static final long MAX_DISK_GIB = 1024L * 1024;

    private final Repositories store;
    private final IdGenerator ids;
    private final Clock clock;
    private final CapacityPolicy capacityDefaults;
    private final EventLog events;

    /** A catalog whose hosts' default capacity policy is {@link CapacityPolicy#NONE}. */
    public CatalogService(Repositories store, IdGenerator ids, Clock clock) {
        this(store, ids, clock, CapacityPolicy.NONE);
    }

    /**
     * @param capacityDefaults the server's default capacity policy ({@code ControllerSettings.capacityDefaults()}),
     *     which {@link #resetCapacityPolicy} gives a host back
     */
    public CatalogService(Repositories store, IdGenerator ids, Clock clock, CapacityPolicy capacityDefaults) {
        this.store = requireNonNull(store, "store is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.events = new EventLog(store.events(), clock);
        this.capacityDefaults = requireNonNull(capacityDefaults, "capacityDefaults is null");
    }

    /**
     * Sets the host's own reserved amounts and allocation ratios (kept when it re-registers). INVALID_ARGUMENT, changing
     * nothing, if a reserved amount is neither zero nor below the host's total of its class (the rule an agent's
     * reservation follows, {@link HostReservation#problem}); CONFLICT, changing nothing, if what is allocated on it
     * would exceed the effective capacity they give.
     */
    public Host setCapacityPolicy(UUID hostId, CapacityPolicy policy) {
        Host current = store.hosts().find(hostId).orElseThrow(() -> VireoException.notFound("host", hostId.toString()));
        Resources reserved = policy.reserved();
        Resources total = current.capacity();
        requireReservable("reserved.vcpus", reserved.vcpus(), total.vcpus());
        requireReservable("reserved.memoryMib", reserved.memoryMib(), total.memoryMib());
        requireReservable("reserved.diskGib", reserved.diskGib(), total.diskGib());
        Host host = store.hosts().setCapacityPolicy(hostId, policy);
        events.host(host, "CapacityPolicyChanged", describe(policy, host));
        return host;
    }

    private static void requireReservable(String field, long reserved, long total) {
        HostReservation.problem(reserved, total).ifPresent(problem -> {
            throw VireoException.invalid(field, problem);
        });
    }

    /**
     * Drops the host's own capacity policy: it takes the server's defaults again, with its agent's reported
     * reservation in place of the defaults' where the agent reported one (ADR 10); CONFLICT, changing nothing, if what
     * is allocated on it would exceed the effective capacity they give.
     */
    public Host resetCapacityPolicy(UUID hostId) {
        Host host = store.hosts().resetCapacityPolicy(hostId, capacityDefaults);
        events.host(host, "CapacityPolicyReset", "the server's default: " + describe(host.capacityPolicy(), host));
        return host;
    }

    /**
     * An operator confirms that the host is off (powered down, or cut off for good), as Nova's evacuate does: a DOWN or
     * SUSPECT host becomes FENCED, and the host monitor then restarts its VMs elsewhere by their HA policy (ADR 19).
     * Returns the host; a FENCED host is returned as it is. CONFLICT, changing nothing, for a host that is UP or in
     * MAINTENANCE: its agent is heard, so it runs, and its VMs are moved by live migration instead. Confirming a host
     * off that is not risks running its VMs twice until it is reconnected, when its agent stops them.
     */
    public Host evacuate(UUID hostId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Host host = requireHost(hostId);
            switch (host.state()) {
                case FENCED -> {
                    return host;
                }
                case UP, MAINTENANCE ->
                    throw VireoException.conflict("host '" + host.name() + "' is " + host.state()
                            + ": its agent is heard, so it runs; only a DOWN or SUSPECT host is evacuated");
                case DOWN, SUSPECT -> {
                    if (store.hosts().transition(hostId, host.state(), HostState.FENCED)) {
                        events.host(
                                host,
                                "StateChanged",
                                host.state() + " -> FENCED: evacuated; an operator confirmed the host is off");
                        return requireHost(hostId);
                    }
                }
            }
        }
        throw new VireoException(ErrorCode.UNAVAILABLE, "host " + hostId + " kept changing state; try again");
    }

    /**
     * Takes the host out of placement (UP or DOWN → MAINTENANCE): no new VM, its VMs stay. CONFLICT for a SUSPECT or
     * FENCED host. Idempotent.
     */
    public Host enterMaintenance(UUID hostId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Host host = requireHost(hostId);
            switch (host.state()) {
                case MAINTENANCE -> {
                    return host;
                }
                case SUSPECT, FENCED ->
                    throw VireoException.conflict("host '" + host.name() + "' is " + host.state()
                            + ": it is not in service to take out of it");
                case UP, DOWN -> {
                    if (store.hosts().transition(hostId, host.state(), HostState.MAINTENANCE)) {
                        events.host(host, "StateChanged", host.state() + " -> MAINTENANCE: by an operator");
                        return requireHost(hostId);
                    }
                }
            }
        }
        throw new VireoException(ErrorCode.UNAVAILABLE, "host " + hostId + " kept changing state; try again");
    }

    /** Puts a host in MAINTENANCE back in service (UP; DOWN soon after if its agent is silent). Idempotent. */
    public Host leaveMaintenance(UUID hostId) {
        Host host = requireHost(hostId);
        if (host.state() == HostState.MAINTENANCE
                && store.hosts().transition(hostId, HostState.MAINTENANCE, HostState.UP)) {
            events.host(host, "StateChanged", "MAINTENANCE -> UP: by an operator");
            return requireHost(hostId);
        }
        return host;
    }

    private Host requireHost(UUID hostId) {
        return store.hosts().find(hostId).orElseThrow(() -> VireoException.notFound("host", hostId.toString()));
    }

    private static String describe(CapacityPolicy policy, Host host) {
        return "reserved " + policy.reserved() + ", allocation ratios vcpu " + policy.vcpuRatio() + ", memory "
                + policy.memoryRatio() + ", disk " + policy.diskRatio() + ": effective capacity "
                + host.effectiveCapacity();
    }

    public Flavor createFlavor(String name, long vcpus, long memoryMib, long diskGib) {
        Names.require("name", name);
        requireRange("vcpus", vcpus, 1, MAX_VCPUS);
        requireRange("memoryMib", memoryMib, 16, MAX_MEMORY_MIB);
        requireRange("diskGib", diskGib, 0, MAX_DISK_GIB);
        Flavor flavor = new Flavor(ids.next(), name, clock.instant(), new Resources((int) vcpus, memoryMib, diskGib));
        return store.flavors().create(flavor);
    }

    /** Creates the flavor unless one of that name exists; used to seed defaults. */
    public Flavor ensureFlavor(String name, int vcpus, long memoryMib, long diskGib) {
        return store.flavors().findByName(name).orElseGet(() -> createFlavor(name, vcpus, memoryMib, diskGib));
    }

    public Flavor flavor(String name) {
        return store.flavors().findByName(name).orElseThrow(() -> VireoException.notFound("flavor", name));
    }

    public List<Flavor> flavors() {
        return store.flavors().list();
    }

    /** Deletes the flavor; CONFLICT, changing nothing, while VMs that are not DELETED were made from it (ADR 12). */
    public void deleteFlavor(String name) {
        requireDeleted(store.flavors().delete(name), "flavor", name);
    }

    /** Fails with NOT_FOUND or CONFLICT unless {@code deletion} deleted the flavor or image {@code name}. */
    static void requireDeleted(CatalogDeletion deletion, String kind, String name) {
        switch (deletion) {
            case CatalogDeletion.Deleted() -> {}
            case CatalogDeletion.NotFound() -> throw VireoException.notFound(kind, name);
            case CatalogDeletion.InUse(long vms) ->
                throw new VireoException(
                        ErrorCode.CONFLICT,
                        kind + " '" + name + "' is in use by " + vms + (vms == 1 ? " VM" : " VMs")
                                + " not deleted; delete " + (vms == 1 ? "it" : "them") + " first",
                        Map.of("kind", kind, "name", name, "vms", vms));
        }
    }

    /**
     * Registers a host-local image: each agent provides its bytes itself (the kernel-and-initrd test guest), so it is
     * ACTIVE at once. Images with uploaded bytes are made by {@link ImageService}.
     */
    public Image createImage(RequestContext context, String name, ImageFormat format, long sizeBytes) {
        Names.require("name", name);
        if (sizeBytes < 0) {
            throw VireoException.invalid("sizeBytes", "must not be negative");
        }
        return store.images()
                .create(new Image(ids.next(), context.projectId(), name, clock.instant(), format, sizeBytes));
    }

    /** Creates the image record unless the project has one of that name; used to seed defaults. */
    public Image ensureImage(RequestContext context, String name, ImageFormat format) {
        return store.images()
                .findByName(context.projectId(), name)
                .orElseGet(() -> createImage(context, name, format, 0));
    }

    /** The image of that name the project may use: its own, else a public one (of the admin project; ADR 14). */
    public Image image(RequestContext context, String name) {
        return visibleImage(store.images(), context.projectId(), name)
                .orElseThrow(() -> VireoException.notFound("image", name));
    }

    /** The project's images and the public ones whose names it does not use itself, ordered by name. */
    public List<Image> images(RequestContext context) {
        List<Image> own = store.images().list(context.projectId());
        if (context.projectId().equals(Project.ADMIN_ID)) {
            return own;
        }
        java.util.Set<String> names = own.stream().map(Image::name).collect(java.util.stream.Collectors.toSet());
        return java.util.stream.Stream.concat(
                        own.stream(),
                        store.images().list(Project.ADMIN_ID).stream().filter(i -> !names.contains(i.name())))
                .sorted(java.util.Comparator.comparing(Image::name))
                .toList();
    }

    /**
     * The image named {@code name} that project {@code projectId} may use: its own, else one of the admin project,
     * whose images are public (ADR 14).
     */
    static Optional<Image> visibleImage(ImageRepository images, UUID projectId, String name) {
        Optional<Image> own = images.findByName(projectId, name);
        return own.isPresent() ? own : images.findByName(Project.ADMIN_ID, name);
    }

    public Volume createVolume(RequestContext context, String name, long sizeGib) {
        Names.require("name", name);
        requireRange("sizeGib", sizeGib, 1, Volume.MAX_SIZE_GIB);
        return store.volumes()
                .create(new Volume(ids.next(), context.projectId(), name, clock.instant(), sizeGib, null, true, null));
    }

    public Volume volume(RequestContext context, String name) {
        return store.volumes()
                .findByName(context.projectId(), name)
                .orElseThrow(() -> VireoException.notFound("volume", name));
    }

    public List<Volume> volumes(RequestContext context) {
        return store.volumes().list(context.projectId());
    }

    /**
     * The host holding the volume's data, or null if it has none yet: for an attached volume its VM's host once the VM
     * is placed (before that, the host a kept volume pins it to), for an available one the host it was kept on.
     */
    public @Nullable Host volumeHost(Volume volume) {
        UUID hostId = volumeHostId(volume);
        return hostId == null ? null : store.hosts().find(hostId).orElse(null);
    }

    /**
     * {@link #volumeHost} of each of {@code volumes} that has one, by volume id: the hosts are read once for the lot,
     * and a VM only for an attached volume.
     */
    public Map<UUID, Host> volumeHosts(List<Volume> volumes) {
        Map<UUID, Host> hosts = new HashMap<>();
        store.hosts().list().forEach(host -> hosts.put(host.id(), host));
        Map<UUID, Host> byVolume = new HashMap<>();
        for (Volume volume : volumes) {
            UUID hostId = volumeHostId(volume);
            Host host = hostId == null ? null : hosts.get(hostId);
            if (host != null) {
                byVolume.put(volume.id(), host);
            }
        }
        return byVolume;
    }

    private @Nullable UUID volumeHostId(Volume volume) {
        UUID vmId = volume.vmId();
        if (vmId != null) {
            UUID vmHost = store.vms().find(vmId).map(Vm::hostId).orElse(null);
            if (vmHost != null) {
                return vmHost;
            }
        }
        return volume.hostId();
    }

    /** Deletes a volume that is not attached: its record; see the volume's {@code hostId} for a kept file. */
    public void deleteVolume(RequestContext context, String name) {
        switch (store.volumes().delete(context.projectId(), name)) {
            case DELETED -> {}
            case NOT_FOUND -> throw VireoException.notFound("volume", name);
            case ATTACHED ->
                throw VireoException.conflict("volume '" + name + "' is attached to a VM; delete the VM first");
        }
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw VireoException.invalid(field, "must be between " + min + " and " + max);
        }
    }
}
