package io.vireo.model;

import java.util.Locale;

/** How the members of a {@link ServerGroup} relate to each other's hosts. */
public enum ServerGroupPolicy {
    /** Every member on one host. */
    AFFINITY,
    /** At most {@code maxPerHost} members on any host. */
    ANTI_AFFINITY,
    /** Members preferably on the host that holds most of them. */
    SOFT_AFFINITY,
    /** Members preferably on hosts that hold fewer of them. */
    SOFT_ANTI_AFFINITY;

    /** Hard policies are enforced by the claim; soft ones only steer scoring. */
    public boolean isHard() {
        return this == AFFINITY || this == ANTI_AFFINITY;
    }

    /** Whether {@code maxPerHost} means anything under this policy. */
    public boolean limitsMembersPerHost() {
        return this == ANTI_AFFINITY || this == SOFT_ANTI_AFFINITY;
    }

    /** The name users see: {@code anti-affinity}, {@code soft-affinity}, ... */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
