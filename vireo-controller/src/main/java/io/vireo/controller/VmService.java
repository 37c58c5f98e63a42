package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.IdempotencyKey;
import io.vireo.controller.port.Page;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmFilter;
import io.vireo.model.Flavor;
import io.vireo.model.GuestSpec;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.Image;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Vm;
import io.vireo.model.VmAction;
import io.vireo.model.VmLifecycle;
import io.vireo.model.VmState;
import io.vireo.model.VmStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The VM operations the API offers. Each call validates, writes the new spec through a conditional update, records an
 * event and nudges the loops that act on it (placement, the host's agent); it never waits for a VM to change state.
 * Reading a console log is the one call that waits for an agent, at most {@link #CONSOLE_TIMEOUT}.
 * Thread-safe: concurrent calls on one VM are serialised by the store's generation check and retried.
 */
public final class VmService {
    /** The most VMs one create may ask for ({@code count}). */
    public static final int MAX_COUNT = 100;

    /** The most console log bytes one call returns. */
    public static final int MAX_CONSOLE_BYTES = 1024 * 1024;
    /** How long a console log read waits for the host's agent. */
    public static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(5);

    /** The states in which a VM's guest process exists and its host's agent samples it. */
    private static final Set<VmState> MEASURED_STATES = EnumSet.of(VmState.RUNNING, VmState.PAUSED, VmState.REBOOTING);

    private final Repositories store;
    private final AgentGateway agents;
    private final PlacementController placement;
    private final EventLog events;
    private final IdGenerator ids;
    private final Clock clock;
    private final ControllerSettings settings;

    public VmService(
            Repositories store,
            AgentGateway agents,
            PlacementController placement,
            EventLog events,
            IdGenerator ids,
            Clock clock,
            ControllerSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.placement = requireNonNull(placement, "placement is null");
        this.events = requireNonNull(events, "events is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Accepts a VM: after this returns, the VM exists in the store and will reach a settled state. */
    public Vm create(RequestContext context, CreateVmRequest request) {
        Names.require("name", request.name());
        IdempotencyKey key = request.idempotency(1);
        Flavor flavor = store.flavors()
                .findByName(request.flavor())
                .orElseThrow(() -> VireoException.notFound("flavor", request.flavor()));
        Image image = CatalogService.visibleImage(store.images(), context.projectId(), request.image())
                .orElseThrow(() -> VireoException.notFound("image", request.image()));
        ImageService.requireUsable(image);
        PlacementConstraints constraints = constraints(context, request);
        GuestSpec guest = GuestSpecs.of(request.guest(), context.projectId(), store.volumes());
        Vm candidate = Vm.create(
                ids.next(),
                context.projectId(),
                request.name(),
                clock.instant(),
                flavor,
                image,
                constraints,
                guest,
                ha(request));
        Vm stored = store.vms().create(candidate, key);
        if (stored.id().equals(candidate.id())) {
            events.vm(stored, "Created", describe(flavor, image, request), context.correlationId());
            placement.wake();
        } else if (key != null
                && (!stored.name().equals(request.name())
                        || stored.constraints().gangId() != null)) {
            throw key.reusedBy(stored); // a key recorded without a fingerprint, for another VM or a gang
        }
        return stored;
    }

    /**
     * Accepts {@code count} VMs (2 to {@link #MAX_COUNT}) created together as a gang: named {@code <name>-1} to
     * {@code <name>-<count>}, sharing a gang id and the request's flavor, image, constraints and guest spec (no
     * volumes: a volume attaches to one VM), placed all or none. All are created or none: a name taken by a live VM is
     * ALREADY_EXISTS and creates nothing. The same idempotency key with the same request again returns what it created
     * first; with another request it is IDEMPOTENCY_KEY_REUSED.
     */
    public VmGang createGang(RequestContext context, CreateVmRequest request, int count) {
        Names.require("name", request.name());
        if (count < 2 || count > MAX_COUNT) {
            throw VireoException.invalid("count", "must be 1-" + MAX_COUNT + ", got " + count);
        }
        int longest = request.name().length() + 1 + Integer.toString(count).length();
        if (longest > Names.MAX_LENGTH) {
            throw VireoException.invalid(
                    "name",
                    "with count " + count + " the members are named " + request.name() + "-1 to " + request.name() + "-"
                            + count + ", which must fit in " + Names.MAX_LENGTH + " characters");
        }
        if (!request.guest().volumes().isEmpty()) {
            throw VireoException.invalid("volumes", "cannot be given with count: a volume attaches to one VM");
        }
        IdempotencyKey key = request.idempotency(count);
        Flavor flavor = store.flavors()
                .findByName(request.flavor())
                .orElseThrow(() -> VireoException.notFound("flavor", request.flavor()));
        Image image = CatalogService.visibleImage(store.images(), context.projectId(), request.image())
                .orElseThrow(() -> VireoException.notFound("image", request.image()));
        ImageService.requireUsable(image);
        UUID gangId = ids.next();
        PlacementConstraints constraints = constraints(context, request).withGang(gangId);
        GuestSpec guest = GuestSpecs.of(request.guest(), context.projectId(), store.volumes());
        Instant now = clock.instant();
        List<Vm> members = new ArrayList<>(count);
        for (int member = 1; member <= count; member++) {
            String name = request.name() + "-" + member;
            members.add(Vm.create(
                    ids.next(), context.projectId(), name, now, flavor, image, constraints, guest, ha(request)));
        }
        List<Vm> stored = store.vms().createGang(members, key);
        if (stored.get(0).id().equals(members.get(0).id())) {
            String description = describe(flavor, image, request) + ", gang of " + count + " (" + gangId + ")";
            stored.forEach(vm -> events.vm(vm, "Created", description, context.correlationId()));
            placement.wake();
        }
        UUID storedGang = stored.get(0).constraints().gangId();
        List<String> names = members.stream().map(Vm::name).toList();
        if (storedGang == null || !stored.stream().map(Vm::name).toList().equals(names)) {
            // Only a key recorded without a fingerprint gets here: it made a single VM or another gang.
            throw requireNonNull(key, "key is null").reusedBy(stored.get(0));
        }
        return new VmGang(storedGang, stored);
    }

    /** The request's zone, traits and group (which must be one of the caller's project) as constraints. */
    /** The request's HA policy, or the server's default. */
    private HaPolicy ha(CreateVmRequest request) {
        HaPolicy asked = request.ha();
        return asked == null ? settings.ha().defaultPolicy() : asked;
    }

    private PlacementConstraints constraints(RequestContext context, CreateVmRequest request) {
        String zone = request.availabilityZone();
        if (zone != null) {
            CreateVmRequest.requireZone("availabilityZone", zone);
        }
        CreateVmRequest.requireTraits("traits", request.traits());
        Set<String> required = new HashSet<>();
        Set<String> forbidden = new HashSet<>();
        for (String trait : request.traits()) {
            (CreateVmRequest.forbidden(trait) ? forbidden : required).add(CreateVmRequest.bare(trait));
        }
        UUID groupId = null;
        String groupName = request.serverGroup();
        if (groupName != null) {
            Names.require("serverGroup", groupName);
            groupId = store.serverGroups()
                    .findByName(context.projectId(), groupName)
                    .orElseThrow(() -> VireoException.notFound("server group", groupName))
                    .id();
        }
        return new PlacementConstraints(groupId, zone, required, forbidden, null);
    }

    private static String describe(Flavor flavor, Image image, CreateVmRequest request) {
        StringBuilder text = new StringBuilder("flavor " + flavor.name() + ", image " + image.name());
        if (request.serverGroup() != null) {
            text.append(", server group ").append(request.serverGroup());
        }
        if (request.availabilityZone() != null) {
            text.append(", zone ").append(request.availabilityZone());
        }
        if (!request.traits().isEmpty()) {
            text.append(", traits ").append(String.join(" ", request.traits()));
        }
        return text.toString();
    }

    public Vm get(RequestContext context, String nameOrId) {
        return find(context, nameOrId).orElseThrow(() -> VireoException.notFound("vm", nameOrId));
    }

    public Optional<Vm> find(RequestContext context, String nameOrId) {
        Optional<UUID> id = parseUuid(nameOrId);
        if (id.isPresent()) {
            return store.vms().find(id.get()).filter(vm -> vm.projectId().equals(context.projectId()));
        }
        return store.vms().findByName(context.projectId(), nameOrId);
    }

    public Page<Vm> list(VmFilter filter) {
        return store.vms().list(filter);
    }

    /** Applies a start, stop, reboot or delete; returns the VM with its new spec. */
    public Vm act(RequestContext context, String nameOrId, VmAction action) {
        for (int attempt = 0; attempt < settings.specRetries(); attempt++) {
            Vm current = get(context, nameOrId);
            if (action == VmAction.DELETE && current.state() == VmState.DELETED) {
                return current;
            }
            Vm next = VmLifecycle.apply(current, action, clock.instant());
            boolean written = store.vms()
                    .updateSpec(
                            current.id(),
                            current.generation(),
                            current.epoch(),
                            next.generation(),
                            next.desiredState(),
                            next.rebootCount(),
                            next.state(),
                            next.stateReason(),
                            clock.instant());
            if (written) {
                afterSpecChange(next, action, context);
                return store.vms().find(next.id()).orElse(next);
            }
        }
        throw VireoException.conflict("VM '" + nameOrId + "' is changing too fast; try again");
    }

    private void afterSpecChange(Vm vm, VmAction action, RequestContext context) {
        events.vm(vm, "ActionRequested", action.name().toLowerCase(java.util.Locale.ROOT), context.correlationId());
        UUID host = vm.hostId();
        if (vm.state() == VmState.DELETED) {
            store.claims().releaseAndMarkDeleted(vm.id(), clock.instant());
            events.vm(vm, "Deleted", "never placed", context.correlationId());
        } else if (vm.state() == VmState.PENDING) {
            placement.wake();
        } else if (host != null) {
            agents.sendDesiredDelta(host, List.of(DesiredVms.of(vm, store.images())), List.of());
        }
    }

    /**
     * Reads part of the VM's serial console log from its host's agent, waiting at most {@link #CONSOLE_TIMEOUT}.
     * {@code offset} is a byte offset into the log, or negative for the last {@code |offset|} bytes; {@code maxBytes}
     * is 1 to {@link #MAX_CONSOLE_BYTES}.
     */
    public ConsoleLog consoleLog(RequestContext context, String nameOrId, long offset, int maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_CONSOLE_BYTES) {
            throw VireoException.invalid("limit", "must be 1-" + MAX_CONSOLE_BYTES);
        }
        Vm vm = get(context, nameOrId);
        UUID hostId = vm.hostId();
        if (hostId == null || vm.state() == VmState.DELETED) {
            throw VireoException.conflict("VM '" + vm.name() + "' is not placed on a host; it has no console log");
        }
        String host = store.hosts().find(hostId).map(Host::name).orElse(hostId.toString());
        if (!agents.connected(hostId)) {
            throw new VireoException(ErrorCode.UNAVAILABLE, "host " + host + " is not connected");
        }
        CompletableFuture<ConsoleLog> read = agents.readConsole(hostId, vm.id(), offset, maxBytes);
        try {
            return read.get(CONSOLE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            read.cancel(false);
            throw new VireoException(
                    ErrorCode.UNAVAILABLE,
                    "host " + host + " did not send the console log within " + CONSOLE_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VireoException failure) {
                throw failure;
            }
            throw new VireoException(ErrorCode.UNAVAILABLE, "host " + host + " cannot send the console log: " + e);
        } catch (InterruptedException e) {
            read.cancel(false);
            Thread.currentThread().interrupt();
            throw new VireoException(ErrorCode.UNAVAILABLE, "interrupted while reading the console log");
        }
    }

    /**
     * The VM's latest resource-use sample. NOT_FOUND if there is no such VM; CONFLICT if its guest does not run (so
     * nothing is measured) or its host's agent has not yet sent a sample of the current guest process.
     */
    public VmStats stats(RequestContext context, String nameOrId) {
        Vm vm = get(context, nameOrId);
        if (!MEASURED_STATES.contains(vm.state())) {
            throw VireoException.conflict("VM '" + vm.name() + "' is " + vm.state()
                    + "; metrics are sampled only while its guest runs or is paused");
        }
        Instant startedAt = vm.startedAt();
        return store.vmStats()
                .find(vm.id())
                .filter(sample -> startedAt == null || !sample.sampledAt().isBefore(startedAt))
                .orElseThrow(() -> VireoException.conflict("VM '" + vm.name()
                        + "' has no metrics sample yet; its host's agent sends one with each heartbeat"));
    }

    static Optional<UUID> parseUuid(String text) {
        if (text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
