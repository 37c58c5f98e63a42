package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

/**
 * {@code HOST:PORT}, with an IPv6 literal in brackets ({@code [::1]:7443}).
 *
 * @param host the host without brackets
 */
public record HostPort(String host, int port) {
    public HostPort {
        requireNonNull(host, "host is null");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /** Parses {@code HOST:PORT}; IllegalArgumentException if it is not one. */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
