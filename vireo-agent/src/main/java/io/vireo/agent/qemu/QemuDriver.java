package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import io.vireo.model.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HypervisorDriver} that runs each VM as its own {@code qemu-system-x86_64} process, driven over QMP.
 *
 * <p>Every VM has a directory {@code <stateDir>/qemu/<uuid>/} (see {@link VmPaths}) holding its record
 * ({@code vm.json}: spec and start time), its disk (a qcow2 overlay over the cached image), QEMU's pid file, QMP
 * socket and serial log. QEMU daemonises, so VMs outlive the agent; a new driver on the same state directory finds
 * each VM whose pid file names a live QEMU carrying the VM's UUID, connects to its QMP socket and reports it with the
 * start time from the record: the VM is adopted, not restarted. A VM whose guest powers itself off has no process
 * and shows as {@code STOPPED}; its files stay until {@link #delete}.
 *
 * <p>Threading: thread-safe. Operations on one VM are serialised by a striped lock and may block for as long as their
 * named timeouts (a stop for its grace period); operations on different VMs run in parallel. {@link #list()} and
 * {@link #find} take no lock except to adopt a running VM the driver is not yet connected to; a VM whose operation
 * is under way and not yet connected shows as {@code CREATING}. Each connected VM costs two virtual threads (the QMP
 * reader and writer).
 */
public final class QemuDriver implements HypervisorDriver, LiveMigration {
    public static final String NAME = "qemu";
    public static final String CAPABILITY = "driver:qemu";

    private static final Logger log = LoggerFactory.getLogger(QemuDriver.class);
    private static final int LOCK_STRIPES = 64;
    private static final Path PROC = Path.of("/proc");
    /** How a VM that has left shows until it is deleted here. */
    static final String MIGRATED_MESSAGE = LiveMigration.MIGRATED_MESSAGE;

    static final String INCOMING_MESSAGE = "waiting for an incoming migration";
    /** Makes cloud-init seeds; looked up on {@code PATH} (Debian package {@code genisoimage}). */
    private static final Path GENISOIMAGE = Path.of("genisoimage");

    private final QemuSettings settings;
    private final ImageStore images;
    private final Clock clock;
    private final QemuAccel accel;
    private final Resources capacity;
    private final QemuVmRecords records;
    private final QemuImg qemuImg;
    private final GuestMedia media;
    private final Map<UUID, QemuInstance> instances = new ConcurrentHashMap<>();
    private final QemuMigrationSettings migration;
    private final RandomGenerator random;
    private final VmNetwork network;
    /** VMs migrating out, with how they looked when the migration began (shown until it ends). */
    private final Map<UUID, DriverVm> migratingOut = new ConcurrentHashMap<>();
    /** VMs prepared for an incoming migration that have not arrived yet: {@link #discardIncoming} removes them. */
    private final Set<UUID> arriving = ConcurrentHashMap.newKeySet();
    /** VMs this driver prepared for an incoming migration (an incoming marker without one was left by an earlier agent). */
    private final Set<UUID> preparedHere = ConcurrentHashMap.newKeySet();

    private final StripedLocks locks = new StripedLocks(LOCK_STRIPES);
    /** Numbers the attempts of outgoing migrations, for the ids of the QEMU objects each makes. */
    private final AtomicLong attempts = new AtomicLong();

    private final QemuVmFiles files;
    private final QemuProcessControl control;

    /**
     * Makes the driver: resolves the acceleration (for {@code auto} this may boot a probe guest, see
     * {@link QemuSettings#kvmProbeGuest()}), measures the host, and adopts every VM whose QEMU still runs. Blocks for
     * as long as that takes.
     */
    public QemuDriver(QemuSettings settings, ImageStore images, Clock clock) {
        this(settings, images, clock, QemuMigrationSettings.defaults(), RandomGenerator.getDefault());
    }

    /** As {@link #QemuDriver(QemuSettings, ImageStore, Clock)}, with live migration settings. */
    public QemuDriver(
            QemuSettings settings,
            ImageStore images,
            Clock clock,
            QemuMigrationSettings migration,
            RandomGenerator random) {
        this(settings, images, clock, migration, random, VmNetwork.unplugged());
    }

    /**
     * As {@link #QemuDriver(QemuSettings, ImageStore, Clock, QemuMigrationSettings, RandomGenerator)}, with VMs'
     * network interfaces plugged as {@code network} says; its bridge (and namespace) are made here if missing.
     */
    public QemuDriver(
            QemuSettings settings,
            ImageStore images,
            Clock clock,
            QemuMigrationSettings migration,
            RandomGenerator random,
            VmNetwork network) {
        this.network = requireNonNull(network, "network is null");
        this.migration = requireNonNull(migration, "migration is null");
        this.random = requireNonNull(random, "random is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.images = requireNonNull(images, "images is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.records = new QemuVmRecords(settings.stateDir());
        this.qemuImg = new QemuImg(settings.qemuImgBinary(), settings.qemuImgTimeout());
        this.media = new GuestMedia(new CloudInitSeed(GENISOIMAGE, settings.qemuImgTimeout()), qemuImg);
        Path root = settings.stateDir().resolve(VmPaths.ROOT);
        this.accel = AccelProbe.resolve(settings, root);
        this.capacity = HostCapacity.probe(Path.of("/proc/meminfo"), root);
        this.files = new QemuVmFiles(settings, accel, images, qemuImg, network);
        this.control = new QemuProcessControl(settings);
        network.prepare();
        log.info("QEMU driver: {}", network.describe());
        adoptRunning();
        evictImages();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The acceleration VMs are started with: {@code auto} resolved. */
    public QemuAccel accel() {
        return accel;
    }

    /** The files of VM {@code vmId}, whether or not it exists. */
    public VmPaths paths(UUID vmId) {
        return VmPaths.of(settings.stateDir(), requireNonNull(vmId, "vmId is null"));
    }

    @Override
    public HostInventory inventory() {
        return new HostInventory(
                capacity,
                List.of(
                        CAPABILITY,
                        accel.capability(),
                        "image-format:qcow2",
                        "image-format:raw",
                        "image-format:kernel-initrd"));
    }

    @Override
    public List<DriverVm> list() {
        List<DriverVm> vms = new ArrayList<>();
        for (UUID vmId : records.vmIds()) {
            observe(vmId).ifPresent(vms::add);
        }
        return List.copyOf(vms);
    }

    @Override
    public Optional<DriverVm> find(UUID vmId) {
        return observe(requireNonNull(vmId, "vmId is null"));
    }

    @Override
    public void create(DesiredVm vm) {
        requireNonNull(vm, "vm is null");
        QemuCommandLine.validate(vm.resources(), vm.imageFormat(), settings.maxVcpus());
        locks.run(vm.vmId(), () -> {
            VmPaths paths = paths(vm.vmId());
            if (Files.exists(paths.migratedMarker())) {
                throw new HypervisorException("VM " + vm.vmId() + " has migrated to another host");
            }
            Optional<QemuVmRecord> existing = records.read(paths);
            if (existing.isPresent()) {
                // Defined already: the disk and image stay; new resources apply at the next start.
                QemuVmRecord updated = existing.get().respecified(vm);
                if (!updated.equals(existing.get())) {
                    records.write(paths, updated);
                }
                return;
            }
            // Pinned until the overlay exists: from then on its backing file keeps the image from eviction.
            try (ImageStore.Pinned base = images.pin(vm)) {
                QemuVmFiles.createDirectory(paths);
                try {
                    files.createDisk(vm, base.path().toAbsolutePath(), paths);
                    media.create(vm, paths);
                    records.write(paths, QemuVmRecord.of(vm));
                } catch (RuntimeException e) {
                    QemuVmFiles.deleteDirectory(paths);
                    throw e;
                }
            }
            log.info("Created VM {} ({}, image {})", vm.vmId(), vm.resources(), vm.imageId());
        });
        evictImages();
    }

    /**
     * Brings the image cache back under its limit, removing only images no VM disk on this host stands on (read from
     * the overlays' headers). Never fails the caller: a failed eviction is retried after the next create or delete.
     */
    private void evictImages() {
        Path vmsRoot = settings.stateDir().resolve(VmPaths.ROOT);
        try {
            images.evict(image -> OverlayBackingFiles.inUse(vmsRoot, image));
        } catch (RuntimeException e) {
            log.warn("image cache eviction failed; will try again", e);
        }
    }

    @Override
    public void start(UUID vmId) {
        locks.run(vmId, () -> {
            VmPaths paths = paths(vmId);
            QemuVmRecord record = required(vmId, paths);
            if (liveInstance(vmId, record) != null) {
                return;
            }
            List<String> command = files.command(record, paths);
            QemuVmFiles.prepareLaunch(paths);
            Instant startedAt = clock.instant();
            long pid = QemuProcesses.launch(command, paths, settings.launchTimeout());
            QemuVmRecord started = record.startedAt(startedAt);
            QemuInstance instance;
            try {
                network.plug(vmId);
                instance = control.connect(
                        vmId, pid, paths.qmpSocket(), requireNonNull(started.startedAt(), "startedAt is null"));
                records.write(paths, started);
            } catch (RuntimeException e) {
                QemuProcesses.kill(pid, vmId);
                throw e;
            }
            instances.put(vmId, instance);
            log.info("Started VM {}: QEMU pid {}, accel {}", vmId, pid, accel.option());
        });
    }

    @Override
    public void stop(UUID vmId, Duration gracePeriod) {
        requireNonNull(gracePeriod, "gracePeriod is null");
        locks.run(vmId, () -> {
            QemuInstance instance = liveInstance(vmId, required(vmId, paths(vmId)));
            if (instance == null) {
                return;
            }
            control.powerDown(vmId, instance, gracePeriod);
            forget(vmId, instance);
        });
    }

    @Override
    public void reboot(UUID vmId) {
        executeRunning(vmId, "reboot", "system_reset");
    }

    @Override
    public void pause(UUID vmId) {
        executeRunning(vmId, "pause", "stop");
    }

    @Override
    public void resume(UUID vmId) {
        executeRunning(vmId, "resume", "cont");
    }

    @Override
    public void delete(UUID vmId) {
        locks.run(vmId, () -> {
            VmPaths paths = paths(vmId);
            if (!Files.exists(paths.directory())) {
                return;
            }
            QemuInstance instance = instances.remove(vmId);
            if (instance != null) {
                control.terminate(vmId, instance);
                instance.close();
            }
            OptionalLong pid = QemuProcesses.readPid(paths.pidFile());
            if (pid.isPresent() && QemuProcesses.isRunning(pid.getAsLong(), vmId)) {
                control.killUnconnected(vmId, pid.getAsLong());
            }
            GuestMedia.deleteVolumes(records, paths);
            QemuVmFiles.deleteDirectory(paths);
            log.info("Deleted VM {}", vmId);
        });
        evictImages();
    }

    /**
     * A sample of the resource use of VM {@code vmId}, or empty if it does not run (or runs but the driver has not
     * connected to it yet: {@link #list()} does). Costs three QMP commands and a few {@code /proc} reads; takes no lock.
     */
    public Optional<VmMetrics> metrics(UUID vmId) {
        QemuInstance instance = instances.get(requireNonNull(vmId, "vmId is null"));
        if (instance == null || !instance.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(QemuMetrics.sample(
                vmId, instance, clock.instant(), PROC, networkCounters().get(VmNetwork.tapName(vmId))));
    }

    /**
     * A sample of every VM the driver is connected to (all running and paused VMs once {@link #list()} has adopted
     * them). A VM whose sample fails (its QEMU does not answer in time, or exits meanwhile) is left out, and logged.
     */
    @Override
    public List<VmStats> metrics() {
        List<VmStats> samples = new ArrayList<>();
        Map<String, VmStats.Network> counters = networkCounters();
        for (Map.Entry<UUID, QemuInstance> entry : instances.entrySet()) {
            try {
                if (entry.getValue().isAlive()) {
                    samples.add(QemuMetrics.sample(
                                    entry.getKey(),
                                    entry.getValue(),
                                    clock.instant(),
                                    PROC,
                                    counters.get(VmNetwork.tapName(entry.getKey())))
                            .toStats());
                }
            } catch (HypervisorException e) {
                log.debug("VM {}: no metrics sample: {}", entry.getKey(), e.getMessage());
            }
        }
        return samples;
    }

    /** Every plugged VM's network counters; none (and logged) if they cannot be read: the rest of a sample can. */
    private Map<String, VmStats.Network> networkCounters() {
        try {
            return network.counters();
        } catch (HypervisorException e) {
            log.debug("no network counters: {}", e.getMessage());
            return Map.of();
        }
    }

    /**
     * Prepares VM {@code vm} to arrive by live migration: its disk (an empty overlay over the same image, fetched if
     * this host lacks it, or a blank disk), blank data volume files, its cloud-init seed written again from the spec,
     * its record and a QEMU started with the same devices plus {@code -incoming defer -S}, which exports the writable
     * disks over NBD and listens on ports of the configured range. When the memory has arrived, the driver stops the
     * export and continues the guest; the VM is then an ordinary VM of this driver (pid file, QMP socket, adoptable).
     * Until then {@link #discardIncoming} removes it with all its files.
     */
    @Override
    public IncomingMigration prepareIncoming(DesiredVm vm, UUID sourceHostId) {
        requireNonNull(vm, "vm is null");
        requireNonNull(sourceHostId, "sourceHostId is null");
        MigrationIdentity identity = migration.requireIdentity();
        QemuCommandLine.validate(vm.resources(), vm.imageFormat(), settings.maxVcpus());
        CompletableFuture<Instant> running = new CompletableFuture<>();
        MigrationEndpoint endpoint = locks.get(vm.vmId(), () -> {
            VmPaths paths = paths(vm.vmId());
            if (Files.exists(paths.directory())) {
                throw new HypervisorException("VM " + vm.vmId() + " already exists on this host");
            }
            long began = System.nanoTime();
            QemuVmRecord record = QemuVmRecord.of(vm).startedAt(clock.instant());
            QemuInstance instance = null;
            try {
                // Pinned until the overlay exists: from then on its backing file keeps the image from eviction.
                try (ImageStore.Pinned pinned = images.pin(vm)) {
                    Path base = pinned.path().toAbsolutePath();
                    QemuVmFiles.createDirectory(paths);
                    writeMarker(paths.incomingMarker(), vm.vmId());
                    ParallelSteps.run(List.of(
                            () -> files.createIncomingDisk(vm, base, paths), () -> media.createIncoming(vm, paths)));
                }
                records.write(paths, record);
                long filesMade = System.nanoTime();
                instance = launchIncoming(record, paths);
                long launched = System.nanoTime();
                List<String> disks = disks(record, paths);
                QemuInstance incoming = instance;
                incoming.qmp().addListener(event -> onIncomingEvent(incoming, !disks.isEmpty(), event, running));
                incoming.qmp()
                        .closed()
                        .thenRun(() -> running.completeExceptionally(
                                new HypervisorException("QEMU exited before the VM arrived")));
                MigrationTls.Listening tls =
                        MigrationTls.listen(incoming, identity, paths.directory(), sourceHostId, "incoming");
                MigrationEndpoint listening = QemuMigrationSteps.listen(incoming, migration, disks, random, tls);
                preparedHere.add(vm.vmId());
                arriving.add(vm.vmId());
                log.info(
                        "VM {}: waiting for an incoming migration on {} (disks {}); prepared in {} ms: files {} ms,"
                                + " QEMU start {} ms, listen {} ms",
                        vm.vmId(),
                        listening,
                        disks,
                        millisSince(began),
                        (filesMade - began) / 1_000_000,
                        (launched - filesMade) / 1_000_000,
                        millisSince(launched));
                return listening;
            } catch (RuntimeException e) {
                if (instance != null) {
                    instances.remove(vm.vmId(), instance);
                    control.terminate(vm.vmId(), instance);
                    instance.close();
                }
                GuestMedia.deleteAllVolumes(record, paths);
                QemuVmFiles.deleteDirectory(paths);
                throw e;
            }
        });
        running.orTimeout(migration.incomingTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return new IncomingMigration(vm.vmId(), endpoint, running);
    }

    /**
     * Removes VM {@code vmId} prepared by {@link #prepareIncoming} that has not arrived: its QEMU, its directory and
     * every one of its volume files (partial copies, kept or not). A VM that has arrived, or that this driver did not
     * prepare, is left alone.
     */
    @Override
    public boolean discardIncoming(UUID vmId) {
        return locks.get(vmId, () -> {
            VmPaths paths = paths(vmId);
            if (!arriving.remove(vmId) && (preparedHere.contains(vmId) || !Files.exists(paths.incomingMarker()))) {
                log.info("VM {}: not an incoming VM of this host; nothing to discard", vmId);
                return false;
            }
            preparedHere.remove(vmId);
            QemuInstance instance = instances.remove(vmId);
            if (instance != null) {
                control.terminate(vmId, instance);
                instance.close();
            }
            OptionalLong pid = QemuProcesses.readPid(paths.pidFile());
            if (pid.isPresent() && QemuProcesses.isRunning(pid.getAsLong(), vmId)) {
                control.killUnconnected(vmId, pid.getAsLong());
            }
            try {
                records.read(paths).ifPresent(record -> GuestMedia.deleteAllVolumes(record, paths));
            } catch (HypervisorException e) {
                log.warn("VM {}: volume files of the failed incoming migration not removed: {}", vmId, e.getMessage());
            }
            QemuVmFiles.deleteDirectory(paths);
            log.info("VM {}: discarded the incoming migration's VM and files", vmId);
            return true;
        });
    }

    /**
     * Migrates running VM {@code vmId} to {@code target}; see {@link LiveMigration#migrateOut}. Holds the VM's lock
     * throughout, so no other operation on it runs meanwhile; the VM shows as it was (with a message) until it has
     * left, then {@code CREATING} with {@link #MIGRATED_MESSAGE} until deleted.
     */
    @Override
    public MigrationStats migrateOut(UUID vmId, MigrationEndpoint target, UUID destinationHostId) {
        requireNonNull(target, "target is null");
        requireNonNull(destinationHostId, "destinationHostId is null");
        MigrationIdentity identity = migration.requireIdentity();
        return locks.get(vmId, () -> {
            VmPaths paths = paths(vmId);
            QemuVmRecord record = required(vmId, paths);
            QemuInstance instance = liveInstance(vmId, record);
            if (instance == null) {
                throw new HypervisorException("cannot migrate VM " + vmId + ": it is not running");
            }
            DriverVm before = instance.observe();
            migratingOut.put(vmId, new DriverVm(vmId, before.power(), before.startedAt(), "migrating to another host"));
            // a VM may try to leave more than once (a failed attempt keeps it here): each attempt's objects are its own
            String attempt = Long.toString(attempts.incrementAndGet());
            MigrationTls.Dialing tls =
                    MigrationTls.dial(instance, identity, paths.directory(), destinationHostId, attempt);
            try {
                MigrationStats stats =
                        QemuMigrationSteps.send(instance, target, migration, disks(record, paths), tls, attempt);
                leave(vmId, instance, paths, record);
                log.info("VM {}: migrated to {} ({})", vmId, target, stats);
                return stats;
            } catch (HypervisorException e) {
                MigrationTls.forget(instance, tls.credentials());
                throw e;
            } finally {
                migratingOut.remove(vmId);
            }
        });
    }

    /**
     * After a completed migration: the marker first (a crash from here on never runs the VM here again), then the
     * process, the VM's files and its volume files (kept or not: their data lives on the destination now).
     */
    private void leave(UUID vmId, QemuInstance instance, VmPaths paths, QemuVmRecord record) {
        writeMarker(paths.migratedMarker(), vmId);
        control.terminate(vmId, instance);
        forget(vmId, instance);
        GuestMedia.deleteAllVolumes(record, paths);
        try (Stream<Path> files = Files.list(paths.directory())) {
            for (Path file : files.toList()) {
                if (!file.equals(paths.migratedMarker())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log.warn("VM {}: could not remove every file after migrating out: {}", vmId, e.getMessage());
        }
    }

    /**
     * The QEMU drive names of the VM's writable disks, in command-line order: its own disk if it has one, then its
     * data volumes. These are copied by a migration; the read-only seed is not.
     */
    static List<String> disks(QemuVmRecord record, VmPaths paths) {
        List<String> disks = new ArrayList<>();
        if (Files.exists(paths.disk())) {
            disks.add(QemuCommandLine.DISK);
        }
        for (int i = 0; i < record.volumes().size(); i++) {
            disks.add(QemuCommandLine.volumeDrive(i));
        }
        return List.copyOf(disks);
    }

    private QemuInstance launchIncoming(QemuVmRecord record, VmPaths paths) {
        List<String> command = new ArrayList<>(files.command(record, paths));
        command.addAll(List.of("-incoming", "defer", "-S"));
        QemuVmFiles.prepareLaunch(paths);
        long pid = QemuProcesses.launch(command, paths, settings.launchTimeout());
        QemuInstance instance;
        try {
            network.plug(record.vmId());
            instance = control.connect(
                    record.vmId(), pid, paths.qmpSocket(), requireNonNull(record.startedAt(), "startedAt is null"));
        } catch (RuntimeException e) {
            QemuProcesses.kill(pid, record.vmId());
            throw e;
        }
        instances.put(record.vmId(), instance);
        return instance;
    }

    /** On the QMP reader thread: the memory has arrived (finish on another thread) or the migration failed. */
    private void onIncomingEvent(
            QemuInstance instance, boolean hasDisk, QmpEvent event, CompletableFuture<Instant> running) {
        if (!event.name().equals("MIGRATION")) {
            return;
        }
        String status = event.data().path("status").asText();
        if (status.equals("completed")) {
            // The memory is all here and the source's QEMU has finished: this is the VM's one copy now, never discard.
            // Unless a discard came first: then it is being killed, and the agent has said it did not arrive.
            if (!arriving.remove(instance.vmId())) {
                running.completeExceptionally(new HypervisorException("the incoming migration was discarded"));
                return;
            }
            try {
                Files.deleteIfExists(paths(instance.vmId()).incomingMarker());
            } catch (IOException e) {
                log.warn("VM {}: cannot remove its incoming marker: {}", instance.vmId(), e.getMessage());
            }
            Thread.ofVirtual().name("qemu-incoming-" + instance.vmId()).start(() -> {
                try {
                    QemuMigrationSteps.finishIncoming(instance, hasDisk);
                    log.info("VM {}: arrived by live migration and runs", instance.vmId());
                    running.complete(clock.instant());
                } catch (RuntimeException e) {
                    running.completeExceptionally(e);
                }
            });
        } else if (status.equals("failed") || status.equals("cancelled")) {
            running.completeExceptionally(new HypervisorException("the incoming migration " + status));
        }
    }

    /** Reads the VM's {@link VmPaths#serialLog()}; see {@link SerialLogReader} for what it refuses to follow. */
    @Override
    public ConsoleOutput readConsole(UUID vmId, long offset, int maxBytes) {
        VmPaths paths = paths(vmId);
        required(vmId, paths);
        return SerialLogReader.read(paths, offset, maxBytes);
    }

    /** Closes every QMP connection. The QEMU processes keep running, to be adopted by the next driver. */
    @Override
    public void close() {
        for (QemuInstance instance : instances.values()) {
            instance.close();
        }
        instances.clear();
        network.close();
    }

    private Optional<DriverVm> observe(UUID vmId) {
        VmPaths paths = paths(vmId);
        DriverVm migrating = migratingOut.get(vmId);
        if (migrating != null) {
            return Optional.of(migrating);
        }
        if (Files.exists(paths.migratedMarker())) {
            return Optional.of(new DriverVm(vmId, ObservedPower.CREATING, null, MIGRATED_MESSAGE));
        }
        if (Files.exists(paths.incomingMarker())) {
            return Optional.of(new DriverVm(vmId, ObservedPower.CREATING, null, INCOMING_MESSAGE));
        }
        QemuVmRecord record;
        try {
            Optional<QemuVmRecord> read = records.read(paths);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            record = read.get();
        } catch (HypervisorException e) {
            return Optional.of(new DriverVm(vmId, ObservedPower.FAILED, null, String.valueOf(e.getMessage())));
        }
        QemuInstance instance = instances.get(vmId);
        if (instance != null) {
            if (instance.isAlive()) {
                return Optional.of(instance.observe());
            }
            forget(vmId, instance);
        }
        OptionalLong pid = QemuProcesses.readPid(paths.pidFile());
        if (pid.isEmpty() || !QemuProcesses.isRunning(pid.getAsLong(), vmId)) {
            return Optional.of(new DriverVm(vmId, ObservedPower.STOPPED, null, ""));
        }
        return Optional.of(observeUnconnected(vmId, record));
    }

    private static void writeMarker(Path marker, UUID vmId) {
        try {
            Files.writeString(marker, "{\"vmId\":\"" + vmId + "\"}\n");
        } catch (IOException e) {
            throw new HypervisorException("cannot write " + marker + ": " + e.getMessage(), e);
        }
    }

    /** A VM whose QEMU runs but which the driver is not connected to: an operation is under way, or adopt it now. */
    private DriverVm observeUnconnected(UUID vmId, QemuVmRecord record) {
        ReentrantLock lock = locks.of(vmId);
        if (!lock.tryLock()) {
            return new DriverVm(vmId, ObservedPower.CREATING, record.startedAt(), "an operation is under way");
        }
        try {
            QemuInstance instance = liveInstance(vmId, record);
            return instance == null ? new DriverVm(vmId, ObservedPower.STOPPED, null, "") : instance.observe();
        } catch (HypervisorException e) {
            return new DriverVm(vmId, ObservedPower.FAILED, record.startedAt(), String.valueOf(e.getMessage()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The VM's running QEMU, connecting to it (adopting it) if the driver is not yet; null if no QEMU of the VM runs.
     * Call with the VM's lock held.
     */
    private @Nullable QemuInstance liveInstance(UUID vmId, QemuVmRecord record) {
        QemuInstance known = instances.get(vmId);
        if (known != null) {
            if (known.isAlive()) {
                return known;
            }
            forget(vmId, known);
        }
        OptionalLong pid = QemuProcesses.readPid(paths(vmId).pidFile());
        if (pid.isEmpty() || !QemuProcesses.isRunning(pid.getAsLong(), vmId)) {
            return null;
        }
        Instant recorded = record.startedAt();
        Instant startedAt = recorded != null
                ? recorded
                : ProcessHandle.of(pid.getAsLong())
                        .flatMap(process -> process.info().startInstant())
                        .orElseGet(clock::instant);
        QemuInstance adopted =
                control.connect(vmId, pid.getAsLong(), paths(vmId).qmpSocket(), startedAt);
        instances.put(vmId, adopted);
        try {
            // The agent may have stopped between starting QEMU and plugging its tap.
            network.plug(vmId);
        } catch (HypervisorException e) {
            log.warn("VM {}: runs, but its network interface is not plugged: {}", vmId, e.getMessage());
        }
        log.info("Adopted VM {}: QEMU pid {} running since {}", vmId, pid.getAsLong(), startedAt);
        return adopted;
    }

    /** Runs {@code command} on the VM's QEMU under the VM's lock; throws if the VM does not run. */
    private void executeRunning(UUID vmId, String operation, String command) {
        locks.run(vmId, () -> {
            QemuInstance instance = liveInstance(vmId, required(vmId, paths(vmId)));
            if (instance == null) {
                throw new HypervisorException("cannot " + operation + " VM " + vmId + ": it is not running");
            }
            instance.execute(command);
        });
    }

    private void forget(UUID vmId, QemuInstance instance) {
        instances.remove(vmId, instance);
        instance.close();
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private void adoptRunning() {
        for (UUID vmId : records.vmIds()) {
            try {
                records.read(paths(vmId)).ifPresent(record -> locks.run(vmId, () -> liveInstance(vmId, record)));
            } catch (HypervisorException e) {
                log.warn("VM {}: not adopted: {}", vmId, e.getMessage());
            }
        }
    }

    private QemuVmRecord required(UUID vmId, VmPaths paths) {
        return records.read(paths).orElseThrow(() -> new HypervisorException("VM " + vmId + " does not exist"));
    }
}
