package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.JoinTokenView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vireo host join-token ...}: one-time credentials with which a host's agent enrolls (admin only). */
@Command(name = "join-token", description = "Make one-time join tokens with which a host's agent enrolls (admin only).")
final class HostJoinTokenCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    HostJoinTokenCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(
            name = "create",
            description = "Make a join token: usable once, before it expires, by one agent (vireo agent --join-token"
                    + " or --join-token-file). It is shown only now; the server keeps only a hash of it.")
    int create(
            @Option(
                            names = "--expires",
                            paramLabel = "DURATION",
                            converter = DurationConverter.class,
                            description = "How long the token is usable, e.g. 30m, 24h (default: the server's, 24h;"
                                    + " at most 30 days).")
                    @Nullable
                    Duration expires,
            @Option(
                            names = "--host",
                            paramLabel = "HOST",
                            description = "Re-enroll this existing host (its agent lost its certificate): the agent"
                                    + " must use the host's name; the host's earlier certificates are revoked.")
                    @Nullable
                    String host,
            @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.object(
                    client.createJoinToken(expires == null ? null : expires.toSeconds(), host),
                    JoinTokenView.class,
                    HostJoinTokenCommand::details);
        }
        return 0;
    }

    static Details details(JoinTokenView token) {
        return new Details()
                .add("Token", token.token())
                .add("CA fingerprint", token.caFingerprint())
                .add("Expires", token.expiresAt())
                .add("Re-enrolls host", token.hostId())
                .add("Use", "vireo agent --server SERVER:PORT --name NAME --state-dir DIR --join-token-file FILE");
    }
}
