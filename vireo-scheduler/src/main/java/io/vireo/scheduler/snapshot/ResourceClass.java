package io.vireo.scheduler.snapshot;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kind of countable resource a host offers and a VM consumes: the standard {@link #VCPU}, {@link #MEMORY_MIB} and
 * {@link #DISK_GIB}, or a custom class such as {@code GPU}. The unit is part of the name where there is one.
 *
 * <p>Invariant: {@code name} is 1-64 characters of {@code A-Z}, {@code 0-9} and {@code _}, starting with a letter.
 */
public record ResourceClass(String name) implements Comparable<ResourceClass> {
    // first: the constants below are validated against it while the class initialises
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    public static final ResourceClass VCPU = new ResourceClass("VCPU");
    public static final ResourceClass MEMORY_MIB = new ResourceClass("MEMORY_MIB");
    public static final ResourceClass DISK_GIB = new ResourceClass("DISK_GIB");

    /** The standard classes, in the order every snapshot indexes them: 0, 1, 2. */
    public static final List<ResourceClass> STANDARD = List.of(VCPU, MEMORY_MIB, DISK_GIB);

    public ResourceClass {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw VireoException.invalid(
                    "resourceClass", "'" + name + "' must be 1-64 characters of A-Z, 0-9 and '_', starting with A-Z");
        }
    }

    public static ResourceClass of(String name) {
        return new ResourceClass(name);
    }

    public boolean isStandard() {
        return STANDARD.contains(this);
    }

    /** Standard classes first, in their fixed order, then custom classes by name. */
    @Override
    public int compareTo(ResourceClass other) {
        int mine = STANDARD.indexOf(this);
        int theirs = STANDARD.indexOf(other);
        if (mine >= 0 || theirs >= 0) {
            return Integer.compare(mine < 0 ? Integer.MAX_VALUE : mine, theirs < 0 ? Integer.MAX_VALUE : theirs);
        }
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
