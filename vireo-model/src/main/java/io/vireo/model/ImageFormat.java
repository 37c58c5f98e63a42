package io.vireo.model;

/** Disk image formats Vireo accepts, plus the kernel-and-initrd pair used by the test guest. */
public enum ImageFormat {
    QCOW2,
    RAW,
    KERNEL_INITRD
}
