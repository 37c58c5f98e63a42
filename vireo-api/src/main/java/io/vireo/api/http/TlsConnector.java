package io.vireo.api.http;

import io.vireo.api.ApiTlsIdentity;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API's HTTPS listener: Jetty's TLS connection in front of HTTP/1.1, TLS 1.2 and 1.3 only, with the JDK's
 * default cipher suites for those. No client certificates are asked for: API callers authenticate with bearer tokens.
 * A client speaking plain HTTP to it fails the handshake and the connection is closed; nothing is served in clear.
 */
public final class TlsConnector {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsConnector() {}

    public static ServerConnector create(
            Server server, HttpConfiguration http, ApiTlsIdentity identity, String host, int port) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(sslContext(identity));
        tls.setIncludeProtocols(PROTOCOLS);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(
                server,
                new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static SSLContext sslContext(ApiTlsIdentity identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("api", identity.key(), password, identity.chain().toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the API's TLS key and certificate: " + e.getMessage(), e);
        }
    }
}
