package io.vireo.server.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.vireo.common.ErrorCode;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.PkiException;
import io.vireo.pki.TrustManagers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * The TLS credentials of the agents' gRPC endpoint. The replica makes a key pair at each start and has the CA sign a
 * server certificate for {@link CertificateAuthority#SERVER_NAME} (agents check that name, whatever address they dial)
 * valid {@link #SERVER_CERTIFICATE_VALIDITY}; it sends the CA certificate along, so that an enrolling agent can match
 * it against its pin. Client certificates are optional at the TLS layer, so that an agent without one can enroll;
 * when one is sent it must chain to the CA, and the agent service admits no call without one.
 */
public final class AgentTls {
    /** How long a replica's server certificate is valid; a replica makes a new one at every start. */
    public static final Duration SERVER_CERTIFICATE_VALIDITY = Duration.ofDays(397);

    private AgentTls() {}

    public static ServerCredentials serverCredentials(
            CertificateAuthority authority, List<String> otherNames, Clock clock, SecureRandom random) {
        KeyPair keys = KeyPairs.generate(random);
        X509Certificate certificate = authority.issueServerCertificate(
                keys.getPublic(), otherNames, clock.instant(), SERVER_CERTIFICATE_VALIDITY);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry(
                    "server", keys.getPrivate(), password, new Certificate[] {certificate, authority.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return TlsServerCredentials.newBuilder()
                    .keyManager(factory.getKeyManagers())
                    .trustManager(TrustManagers.trusting(authority.certificate()))
                    .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException(ErrorCode.INTERNAL, "cannot make the agent endpoint's TLS key", e);
        }
    }
}
