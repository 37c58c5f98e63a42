package io.vireo.server.tls;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the REST API is served (ADR 20): over HTTPS with a certificate the cloud's CA issues at every start (the
 * default), over HTTPS with the operator's certificate, or, on a loopback address only, over plain HTTP.
 */
public sealed interface ApiTls {
    /** A DNS name (letters, digits, hyphens, dots) or an IPv4 or IPv6 address literal. */
    Pattern NAME =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                    + "[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** At most this many extra names in a certificate. */
    int MAX_NAMES = 64;

    /**
     * A certificate from the cloud's CA, made at each start, for the addresses the server listens on (every local
     * address when it listens on all of them), {@code localhost}, and {@code extraNames} (the names clients use to
     * reach it through DNS or a load balancer).
     */
    record CaIssued(List<String> extraNames) implements ApiTls {
        public CaIssued {
            extraNames = List.copyOf(extraNames);
            if (extraNames.size() > MAX_NAMES) {
                throw new IllegalArgumentException("at most " + MAX_NAMES + " names for the API certificate");
            }
            for (String name : extraNames) {
                if (name.length() > 253 || !NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(
                            "--api-tls-name: '" + name + "' is not a DNS name or an IP" + " address");
                }
            }
        }
    }

    /** The operator's certificate chain and private key, PEM files read at start. */
    record OperatorSupplied(Path certificateFile, Path keyFile) implements ApiTls {
        public OperatorSupplied {
            requireNonNull(certificateFile, "certificateFile is null");
            requireNonNull(keyFile, "keyFile is null");
        }
    }

    /** Plain HTTP: for a TLS-terminating proxy on the same machine; refused on any address but loopback. */
    record PlainHttp() implements ApiTls {}
}
