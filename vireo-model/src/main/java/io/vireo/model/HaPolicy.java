package io.vireo.model;

import static java.util.Objects.requireNonNull;

/**
 * What happens to a VM when its host is fenced (declared dead, its instances ended): restarted on another host, or
 * left where it was. Fixed at creation.
 *
 * @param mode what to do
 * @param priority the order of restarts when many VMs lose their host at once: higher first ({@link #MIN_PRIORITY} to
 *     {@link #MAX_PRIORITY})
 */
public record HaPolicy(Mode mode, int priority) {
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 1000;
    /** A server's default unless its operator says otherwise. */
    public static final HaPolicy DEFAULT = new HaPolicy(Mode.RESTART, 0);

    /** What to do with a VM whose host was fenced. */
    public enum Mode {
        /**
         * Restart it elsewhere with its disks as they were. Needs its disks on storage that other hosts reach; a VM
         * whose disks were local to the lost host is not restarted (its data is there) and says so.
         */
        RESTART,
        /** Restart it elsewhere, from its image when its disks were local to the lost host: their data is lost. */
        RESTART_FROM_IMAGE,
        /** Leave it on its host, in ERROR with the reason, until the host comes back. */
        NONE
    }

    public HaPolicy {
        requireNonNull(mode, "mode is null");
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException(
                    "HA priority must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY + ", not " + priority);
        }
    }
}
