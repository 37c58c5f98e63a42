package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.vireo.agent.AgentIdentity;
import io.vireo.pki.SwappableKeyManager;
import io.vireo.pki.TrustManagers;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.UUID;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * The host identity the agent enrolled ({@code STATE_DIR/identity}, ADR 15), as the fence guard uses it: read only
 * (the agent renews the certificate; {@link #refresh} picks up a renewed one for the next handshakes), presented to
 * the server for the lease stream, to peers when asking them and as the answering side's certificate when they ask.
 * Thread-safe.
 */
final class GuardIdentity {
    private static final String ALIAS = "vireo-host";

    private final Path directory;
    private final UUID hostId;
    private final X509Certificate authority;
    private final SwappableKeyManager keys;

    private GuardIdentity(Path directory, AgentIdentity identity) {
        this.directory = directory;
        this.hostId = identity.hostId();
        this.authority = identity.authority();
        this.keys = new SwappableKeyManager(identity.keyManager().current());
    }

    /** The identity in {@code directory}; fails if the agent has not enrolled yet. */
    static GuardIdentity load(Path directory) {
        AgentIdentity identity = AgentIdentity.load(requireNonNull(directory, "directory is null"))
                .orElseThrow(() -> new IllegalStateException("no host identity in " + directory
                        + ": start the agent with a join token first (the guard uses the identity it enrolled)"));
        return new GuardIdentity(directory, identity);
    }

    UUID hostId() {
        return hostId;
    }

    /** Reads the files again; a renewed certificate (same host, same CA) is presented from the next handshake on. */
    void refresh() {
        AgentIdentity.load(directory).ifPresent(fresh -> {
            if (fresh.hostId().equals(hostId) && fresh.authority().equals(authority)) {
                keys.swap(fresh.keyManager().current());
            }
        });
    }

    /** TLS to the server: this host's certificate, the CA as the only trust. */
    ChannelCredentials serverChannel() {
        return TlsChannelCredentials.newBuilder()
                .keyManager(keys)
                .trustManager(TrustManagers.trusting(authority))
                .build();
    }

    /** TLS to a peer guard, which must present host {@code peer}'s certificate of this CA. */
    ChannelCredentials peerChannel(UUID peer) {
        return TlsChannelCredentials.newBuilder()
                .keyManager(keys)
                .trustManager(new HostCertificateTrust(authority, peer))
                .build();
    }

    /** TLS for the guard's own listener: this host's certificate, and a client certificate of this CA required. */
    ServerCredentials peerListener() {
        return TlsServerCredentials.newBuilder()
                .keyManager(new ServerKeys(keys))
                .trustManager(TrustManagers.trusting(authority))
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    }

    /** The host's key as a TLS server's: peers check it with {@link HostCertificateTrust}. */
    private static final class ServerKeys extends X509ExtendedKeyManager {
        private final SwappableKeyManager keys;

        ServerKeys(SwappableKeyManager keys) {
            this.keys = keys;
        }

        private @Nullable String aliasFor(@Nullable String keyType) {
            String algorithm = keys.current().key().getAlgorithm();
            return keyType == null || keyType.startsWith(algorithm) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public @Nullable String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliasFor(keyType) == null ? new String[0] : new String[] {ALIAS};
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public @Nullable String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.current().chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.current().key();
        }
    }
}
