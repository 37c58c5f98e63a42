package io.vireo.api.json;

import io.vireo.model.FixedIp;
import java.util.UUID;

@Doc("An IPv4 address of a port in one subnet.")
public record FixedIpJson(UUID subnetId, String address) {
    public static FixedIpJson of(FixedIp fixedIp) {
        return new FixedIpJson(fixedIp.subnetId(), fixedIp.address().toString());
    }
}
