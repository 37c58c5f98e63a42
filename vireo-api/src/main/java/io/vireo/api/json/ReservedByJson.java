package io.vireo.api.json;

import io.vireo.model.Host;
import io.vireo.model.HostReservation;
import org.jspecify.annotations.Nullable;

@Doc("Where the reservation in force of each resource class comes from (precedence: operator, then agent, then"
        + " server): operator = the host's own policy, agent = what the host's agent reports (vireo agent"
        + " --reserved-...), server = the server's default.")
public record ReservedByJson(
        @Doc("operator, agent or server.") String vcpus,
        @Doc("operator, agent or server.") String memoryMib,
        @Doc("operator, agent or server.") String diskGib) {
    public static ReservedByJson of(Host host) {
        HostReservation agent = host.agentReservation();
        boolean operator = host.capacityPolicyOverridden();
        return new ReservedByJson(
                source(operator, agent.vcpus()),
                source(operator, agent.memoryMib()),
                source(operator, agent.diskGib()));
    }

    private static String source(boolean operator, @Nullable Number agent) {
        return operator ? "operator" : agent != null ? "agent" : "server";
    }
}
