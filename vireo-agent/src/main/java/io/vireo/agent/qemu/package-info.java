/**
 * The QEMU hypervisor driver: each VM is one {@code qemu-system-x86_64} process, driven over QMP, with no libvirt in
 * between.
 *
 * <h2>Main types</h2>
 *
 * <ul>
 *   <li>{@link io.vireo.agent.qemu.QemuDriver}: implements {@link io.vireo.agent.hypervisor.HypervisorDriver}. Made
 *       with {@code new QemuDriver(QemuSettings, ImageStore, Clock)}; also offers {@code metrics(vmId)},
 *       {@code paths(vmId)} and {@code accel()}.
 *   <li>{@link io.vireo.agent.qemu.QemuSettings}: binaries, the acceleration setting ({@code auto|kvm|tcg}), the
 *       machine type, the kernel command line of kernel-and-initrd guests and every timeout, by name. Start from
 *       {@code QemuSettings.defaults(stateDir)}.
 *   <li>{@link io.vireo.agent.qemu.ImageStore}: where the cached base of an image is
 *       ({@code Path resolve(UUID imageId, ImageFormat format)}); {@link io.vireo.agent.qemu.LocalImageStore} is a
 *       directory of {@code <uuid>.qcow2}, {@code <uuid>.raw} and {@code <uuid>/{vmlinuz,initramfs.cpio.gz}}.
 *   <li>{@link io.vireo.agent.qemu.QmpClient}: QMP over a UNIX socket (greeting, capabilities, commands correlated
 *       by id, events to listeners, bounded timeouts); errors are {@link io.vireo.agent.qemu.QmpException}s with a
 *       {@code kind} and QEMU's error class.
 *   <li>{@link io.vireo.agent.qemu.CloudInitSeed}: writes a cloud-init NoCloud seed ISO, which the driver attaches
 *       when it is present at {@link io.vireo.agent.qemu.VmPaths#seedIso()}.
 * </ul>
 *
 * <h2>Files</h2>
 *
 * Each VM has {@code <stateDir>/qemu/<uuid>/} holding {@code vm.json} (spec and start time; its presence means the VM
 * is defined), {@code disk0.qcow2} (a copy-on-write overlay over the image made with
 * {@code qemu-img create -f qcow2 -b BASE -F FMT}, or a blank disk for a kernel-and-initrd guest),
 * {@code qemu.pid}, {@code qmp.sock}, {@code serial.log} (the guest's first serial port, appended across boots and
 * rotated once at start past 8 MiB), {@code launch.log} (what QEMU printed before daemonising) and, optionally,
 * {@code seed.iso}. Paths are built from the state directory and the VM's UUID only; the VM's name never appears in a
 * path or a QEMU argument. QEMU is started from an argument list, never through a shell.
 *
 * <h2>Process model and adoption</h2>
 *
 * QEMU runs with {@code -daemonize}: it forks, starts its own session and is re-parented to init, so it outlives the
 * agent and no signal to the agent's session reaches it. The launching process exits once the daemon's QMP socket
 * listens, which is when {@code start} connects. A new driver on the same state directory looks at every VM directory:
 * if the pid file names a live, non-zombie process whose command line carries the VM's UUID (so a recycled pid is
 * never taken for the VM), the driver connects to its QMP socket and reports it {@code RUNNING} or {@code PAUSED} with
 * the {@code startedAt} recorded in {@code vm.json}: the guest is adopted, not restarted. QMP serves one client at a
 * time, so the previous driver must be gone (closed, or its process dead).
 *
 * <h2>Power operations</h2>
 *
 * {@code stop} presses the ACPI power button ({@code system_powerdown}, after {@code cont} if the VM is paused),
 * waits for the process to exit for the grace period, then sends {@code quit}, then SIGKILL. {@code reboot} is
 * {@code system_reset} (QEMU runs without {@code -no-reboot}); {@code pause}/{@code resume} are {@code stop}/
 * {@code cont}. A guest that powers itself off ends its process (QEMU runs without {@code -no-shutdown}): the VM
 * shows {@code STOPPED} and keeps its files. {@code delete} ends the process and removes the directory.
 *
 * <h2>Live migration</h2>
 *
 * {@link io.vireo.agent.qemu.QemuDriver} implements {@link io.vireo.agent.hypervisor.LiveMigration}: the destination
 * starts QEMU with {@code -incoming defer -S} over empty disks (overlay, data volumes) that it exports over NBD, with
 * the cloud-init seed written again from the spec; the source mirrors every disk, then migrates memory with
 * {@code pause-before-switchover} and completes the mirrors in the pause ({@link io.vireo.agent.qemu.QemuMigrationSteps},
 * ADR 5, ADR 8). The source leaves a {@code migrated.json} marker until the VM is deleted there, so the VM never runs
 * twice, and removes its disks and volume files; a failed destination discards everything it made.
 *
 * <h2>Acceleration</h2>
 *
 * {@code kvm} and {@code tcg} are used as configured. {@code auto} uses KVM only if the KVM device is accessible and
 * either the configured probe guest (the Vireo test guest) boots under KVM within the probe timeout, or, with no probe
 * guest, QEMU initialises KVM; otherwise it uses TCG and says why in one log line. Nested KVM can initialise yet fail
 * to boot a real kernel, so production hosts should configure the probe guest. The result is reported in the
 * inventory as {@code accel:kvm} or {@code accel:tcg}.
 *
 * <h2>Threading</h2>
 *
 * The driver is thread-safe: operations on one VM are serialised by a striped lock; different VMs proceed in
 * parallel; {@code list()} and {@code find()} do not wait for an operation in progress (a VM being started shows
 * {@code CREATING}). Each connected VM costs two virtual threads (QMP reader and writer). Every wait is bounded by a
 * named setting.
 *
 * <h2>Tests</h2>
 *
 * The tests boot the project's test guest (built by {@code guest/build-test-guest.sh} into
 * {@code ~/.cache/vireo/test-guest}, from Debian packages) under TCG; they are skipped only if
 * {@code qemu-system-x86_64} is not installed. Run them with
 * {@code ./mvnw -pl vireo-agent -am install -Dtest='io.vireo.agent.qemu.**' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@NullMarked
package io.vireo.agent.qemu;

import org.jspecify.annotations.NullMarked;
