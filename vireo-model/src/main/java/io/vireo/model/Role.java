package io.vireo.model;

import java.util.Locale;

/**
 * What a user may do. {@link #ADMIN} is system-wide (hosts, flavors, projects, every user); the others hold within the
 * user's project. Each role includes the rights of those after it: an admin is also a project admin, a project admin
 * also a member, a member also a reader.
 */
public enum Role {
    /** The cloud's operators: everything, in every project. Held only by users of the admin project. */
    ADMIN,
    /** Manages the project's users, service accounts and tokens, and everything a member may do. */
    PROJECT_ADMIN,
    /** Creates, changes and deletes the project's VMs, volumes, images and server groups. */
    MEMBER,
    /** Reads the project's objects and the system's hosts and flavors; changes nothing. */
    READER;

    /** Whether this role has every right of {@code other}. */
    public boolean includes(Role other) {
        return ordinal() <= other.ordinal();
    }

    /** The name on the wire and on the command line: {@code admin}, {@code project-admin}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role of a wire name, case-insensitive. */
    public static Role fromWireName(String text) {
        for (Role role : values()) {
            if (role.wireName().equalsIgnoreCase(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "'");
    }
}
