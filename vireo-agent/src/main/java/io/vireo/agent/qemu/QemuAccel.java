package io.vireo.agent.qemu;

/** How QEMU executes guest code: the {@code -accel} option, chosen by a setting. */
public enum QemuAccel {
    /** Use KVM if a probe shows it really boots a guest, else fall back to TCG with a log line. */
    AUTO,
    /** Hardware virtualisation through {@code /dev/kvm}. */
    KVM,
    /** QEMU's software emulator: slow, but works everywhere. */
    TCG;

    /** The value of QEMU's {@code -accel} option; only for {@link #KVM} and {@link #TCG}. */
    public String option() {
        if (this == AUTO) {
            throw new IllegalStateException("AUTO is resolved to KVM or TCG before QEMU is started");
        }
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The host capability reported in the inventory: {@code accel:kvm} or {@code accel:tcg}. */
    public String capability() {
        return "accel:" + option();
    }
}
