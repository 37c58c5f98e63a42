package io.vireo.server.logging;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where log lines are forwarded: a syslog server listening on TCP ({@code --syslog-url tcp://HOST:PORT}). TLS
 * ({@code tls://}, RFC 5425) is not supported yet.
 */
public record SyslogUrl(String host, int port) {
    public SyslogUrl {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code tcp://HOST:PORT}; anything else is an {@link IllegalArgumentException} naming the option. */
    public static SyslogUrl parse(String text) {
        requireNonNull(text, "text is null");
        String problem = "--syslog-url must be tcp://HOST:PORT, not " + text;
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem + " (" + e.getMessage() + ")", e);
        }
        if (!"tcp".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException(problem + ": only tcp:// is supported");
        }
        String host = url.getHost();
        String path = url.getRawPath();
        if (host == null
                || url.getPort() < 1
                || url.getPort() > 65_535
                || url.getRawUserInfo() != null
                || (path != null && !path.isEmpty())
                || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw new IllegalArgumentException(problem);
        }
        // URI keeps the brackets of an IPv6 literal; sockets want the address alone
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new SyslogUrl(bare, url.getPort());
    }

    @Override
    public String toString() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
