package io.vireo.scheduler;

/** How the members of a server group relate to each other's hosts. */
public enum ServerGroupPolicy {
    /** Not in a group. */
    NONE,
    /** Every member on the same host: hosts without members are rejected once the group has one. */
    AFFINITY,
    /** At most {@code maxPerHost} members per host: fuller hosts are rejected. */
    ANTI_AFFINITY,
    /** Prefer hosts with more members. */
    SOFT_AFFINITY,
    /** Prefer hosts with fewer members. */
    SOFT_ANTI_AFFINITY;

    public boolean isHard() {
        return this == AFFINITY || this == ANTI_AFFINITY;
    }

    public boolean isSoft() {
        return this == SOFT_AFFINITY || this == SOFT_ANTI_AFFINITY;
    }
}
