package io.vireo.model;

/** An amount of the three standard resource classes. Never negative. */
public record Resources(int vcpus, long memoryMib, long diskGib) {
    public static final Resources ZERO = new Resources(0, 0, 0);

    public Resources {
        if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
            throw new IllegalArgumentException(
                    "resources must not be negative: " + vcpus + "/" + memoryMib + "/" + diskGib);
        }
    }

    public Resources plus(Resources other) {
        return new Resources(
                Math.addExact(vcpus, other.vcpus),
                Math.addExact(memoryMib, other.memoryMib),
                Math.addExact(diskGib, other.diskGib));
    }

    /** Subtracts, flooring each class at zero. */
    public Resources minus(Resources other) {
        return new Resources(
                Math.max(0, vcpus - other.vcpus),
                Math.max(0, memoryMib - other.memoryMib),
                Math.max(0, diskGib - other.diskGib));
    }

    public boolean fitsWithin(Resources capacity) {
        return vcpus <= capacity.vcpus && memoryMib <= capacity.memoryMib && diskGib <= capacity.diskGib;
    }
}
