package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A virtual layer-2 network of a project (ADR 23). Its name is unique in the project; its VXLAN network identifier is
 * unique in the cloud and chosen by the store when it is created.
 *
 * @param vni the VXLAN network identifier, {@value #MIN_VNI} to {@value #MAX_VNI}
 * @param mtu the MTU its ports' guests are given: by default {@value #DEFAULT_MTU}, what a 1500-byte underlay leaves
 *     after VXLAN over IPv4
 * @param external reserved for provider networks that reach the physical network; not acted on yet
 */
public record Network(UUID id, UUID projectId, String name, Instant createdAt, int vni, int mtu, boolean external) {
    public static final int MIN_VNI = 1;
    public static final int MAX_VNI = (1 << 24) - 1;
    public static final int DEFAULT_MTU = 1450;
    /** IPv4's minimum MTU. */
    public static final int MIN_MTU = 576;
    /** A jumbo frame less VXLAN's overhead. */
    public static final int MAX_MTU = 8950;

    public Network {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        if (vni < MIN_VNI || vni > MAX_VNI) {
            throw new IllegalArgumentException("vni must be " + MIN_VNI + "-" + MAX_VNI + ": " + vni);
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("mtu must be " + MIN_MTU + "-" + MAX_MTU + ": " + mtu);
        }
    }
}
