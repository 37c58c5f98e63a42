package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.agent.hypervisor.HypervisorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the {@code auto} acceleration setting to KVM or TCG. {@code /dev/kvm} existing is not enough: on nested
 * virtualisation KVM may initialise and still fail to boot a real kernel. So {@code auto} uses KVM only if
 * <ol>
 *   <li>the KVM device is readable and writable, and
 *   <li>with a probe guest configured (the Vireo test guest): that guest boots under KVM to its ready line within the
 *       probe timeout; without one: QEMU initialises KVM and reports it enabled (a cheaper, weaker check, logged as
 *       such).
 * </ol>
 * Otherwise it falls back to TCG, saying why in one log line. Runs once, when the driver is made; thread-safe
 * (stateless).
 */
final class AccelProbe {
    /** The line the Vireo test guest prints on its serial console once it is up. */
    static final String READY_MARKER = "VIREO-GUEST-READY";

    private static final Logger log = LoggerFactory.getLogger(AccelProbe.class);
    private static final long PROBE_MEMORY_MIB = 128;

    private AccelProbe() {}

    static QemuAccel resolve(QemuSettings settings, Path workDir) {
        if (settings.accel() != QemuAccel.AUTO) {
            log.info("QEMU acceleration: {} (configured)", settings.accel().option());
            return settings.accel();
        }
        Path device = settings.kvmDevice();
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            log.info("QEMU acceleration: tcg, because {} is missing or not accessible (accel=auto)", device);
            return QemuAccel.TCG;
        }
        Path guest = settings.kvmProbeGuest();
        if (guest != null) {
            if (guestBoots(settings, QemuAccel.KVM, guest, workDir)) {
                log.info("QEMU acceleration: kvm, the probe guest booted under KVM (accel=auto)");
                return QemuAccel.KVM;
            }
            log.warn(
                    "QEMU acceleration: tcg, because the probe guest did not boot under KVM within {} although {} exists"
                            + " (nested or broken KVM?); VMs will be slow (accel=auto)",
                    settings.kvmProbeTimeout(),
                    device);
            return QemuAccel.TCG;
        }
        if (kvmInitialises(settings, workDir)) {
            log.info("QEMU acceleration: kvm, QEMU initialised KVM; no probe guest is configured, so booting a guest"
                    + " under KVM was not verified (accel=auto)");
            return QemuAccel.KVM;
        }
        log.warn(
                "QEMU acceleration: tcg, because QEMU could not initialise KVM on {}; VMs will be slow (accel=auto)",
                device);
        return QemuAccel.TCG;
    }

    /**
     * Boots the Vireo test guest in {@code guestDirectory} under {@code accel} and tells whether it printed its ready
     * line before the probe timeout. The guest is told to power itself off after its first tick, which ends QEMU.
     */
    static boolean guestBoots(QemuSettings settings, QemuAccel accel, Path guestDirectory, Path workDir) {
        List<String> command = new ArrayList<>(List.of(
                settings.qemuBinary().toString(),
                "-machine",
                settings.machineType(),
                "-accel",
                accel.option(),
                "-m",
                PROBE_MEMORY_MIB + "M",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-serial",
                "stdio",
                "-kernel",
                guestDirectory.resolve(ImageStore.KERNEL_FILE).toString(),
                "-initrd",
                guestDirectory.resolve(ImageStore.INITRD_FILE).toString(),
                "-append",
                "console=ttyS0 panic=-1 quiet vireo.poweroff_after=1"));
        if (accel == QemuAccel.KVM) {
            command.addAll(List.of("-cpu", "host"));
        }
        try {
            ExternalCommand.Result result = ExternalCommand.run(command, workDir, settings.kvmProbeTimeout(), null);
            return result.output().contains(READY_MARKER);
        } catch (HypervisorException e) {
            log.info("KVM probe guest: {}", e.getMessage());
            return false;
        }
    }

    /** Starts a machine-less QEMU with KVM and asks it over QMP on standard input whether KVM is enabled. */
    static boolean kvmInitialises(QemuSettings settings, Path workDir) {
        Path input = workDir.resolve("kvm-probe.qmp");
        try {
            Files.writeString(
                    input,
                    "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-kvm\"}\n{\"execute\": \"quit\"}\n",
                    UTF_8);
            ExternalCommand.Result result = ExternalCommand.run(
                    List.of(
                            settings.qemuBinary().toString(),
                            "-machine",
                            "none",
                            "-accel",
                            "kvm",
                            "-nodefaults",
                            "-no-user-config",
                            "-display",
                            "none",
                            "-qmp",
                            "stdio"),
                    workDir,
                    settings.kvmProbeTimeout(),
                    input);
            return result.exitCode() == 0 && reportsKvmEnabled(result.output());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + input, e);
        } catch (HypervisorException e) {
            log.info("KVM probe: {}", e.getMessage());
            return false;
        } finally {
            try {
                Files.deleteIfExists(input);
            } catch (IOException e) {
                log.debug("cannot delete {}", input, e);
            }
        }
    }

    /** True if one line of QMP output is the answer to {@code query-kvm} with KVM present and enabled. */
    static boolean reportsKvmEnabled(String qmpOutput) {
        ObjectMapper mapper = new ObjectMapper();
        for (String line : qmpOutput.split("\n")) {
            try {
                JsonNode answer = mapper.readTree(line).path("return");
                if (answer.path("enabled").asBoolean(false)
                        && answer.path("present").asBoolean(false)) {
                    return true;
                }
            } catch (IOException e) {
                // Not JSON: QEMU's own error output.
            }
        }
        return false;
    }
}
