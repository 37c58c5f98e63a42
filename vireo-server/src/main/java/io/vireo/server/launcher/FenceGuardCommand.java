package io.vireo.server.launcher;

import io.vireo.agent.guard.FenceGuardProcess;
import io.vireo.agent.guard.GuardSettings;
import io.vireo.agent.guard.HostPort;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vireo fence-guard}: runs a host's fence guard next to its agent until interrupted (ADR 22). */
@Command(
        name = "fence-guard",
        mixinStandardHelpOptions = true,
        description = "Run a host's fence guard: renews the host's lease and ends its VMs when the host is cut off.")
final class FenceGuardCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.@Nullable CommandSpec spec;

    @Option(names = "--server", required = true, description = "The server's agent endpoint, HOST:PORT.")
    String server = "";

    @Option(
            names = "--state-dir",
            required = true,
            description = "The agent's state directory: the guard uses the identity the agent enrolled there.")
    Path stateDir = Path.of(".");

    @Option(
            names = "--listen",
            description = "Where to answer the other hosts' guards, IP:PORT (an address they can reach). Without it"
                    + " this guard asks its peers but answers none, and they count it as not having lost the server.")
    @Nullable
    String listen;

    @Override
    public Integer call() {
        HostPort serverAddress = parse("--server", server);
        HostPort listenAddress = listen == null ? null : parse("--listen", listen);
        return FenceGuardProcess.run(
                new FenceGuardProcess.Config(serverAddress, stateDir, listenAddress, GuardSettings.DEFAULTS));
    }

    private HostPort parse(String option, String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            if (spec == null) {
                throw e;
            }
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
        }
    }
}
