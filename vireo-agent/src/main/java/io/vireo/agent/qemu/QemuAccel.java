package io.vireo.agent.qemu;

import java.util.Locale;

/** How QEMU executes guest code: the {@code -accel} option, chosen by a setting. */
public enum QemuAccel {
    /** Use KVM if a probe shows it really boots a guest, else fall back to TCG with a log line. */
    AUTO,
    /** Hardware virtualisation through {@code /dev/kvm}. */
    KVM,
    /** QEMU's software emulator: slow, but works everywhere. */
    TCG;

    /** Parses a setting: {@code auto}, {@code kvm} or {@code tcg}, in any case. */
    public static QemuAccel fromSetting(String value) {
        for (QemuAccel accel : values()) {
            if (accel.name().equalsIgnoreCase(value.strip())) {
                return accel;
            }
        }
        throw new IllegalArgumentException("accel must be auto, kvm or tcg, not '" + value + "'");
    }

    /** The value of QEMU's {@code -accel} option; only for {@link #KVM} and {@link #TCG}. */
    public String option() {
        if (this == AUTO) {
            throw new IllegalStateException("AUTO is resolved to KVM or TCG before QEMU is started");
        }
        return name().toLowerCase(Locale.ROOT);
    }

    /** The host capability reported in the inventory: {@code accel:kvm} or {@code accel:tcg}. */
    public String capability() {
        return "accel:" + option();
    }
}
