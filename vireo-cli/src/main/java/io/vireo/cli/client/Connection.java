package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the server is and how to authenticate to it.
 *
 * @param baseUrl the server's root URL without a trailing slash, e.g. {@code http://127.0.0.1:8080}; the API lives
 *     under {@link #apiUrl()}
 * @param token the bearer token, or null to send none (the server will then answer 401)
 * @param source where {@code baseUrl} came from ({@code --url}, {@code VIREO_URL} or a file), for error messages
 * @param project the project an admin acts in ({@code --project}, sent as {@value #PROJECT_HEADER}), or null for the
 *     token's own
 * @param caFile a PEM file of the certificates to trust for an {@code https} server, and no other; null for the JDK's
 *     trust store
 */
public record Connection(
        URI baseUrl,
        @Nullable String token,
        String source,
        @Nullable String project,
        @Nullable Path caFile) {
    public static final String API_PREFIX = "/api/v1";
    public static final String PROJECT_HEADER = "X-Vireo-Project";

    /** A connection acting in the token's own project. */
    public Connection(URI baseUrl, @Nullable String token, String source) {
        this(baseUrl, token, source, null, null);
    }

    /** A connection that trusts the JDK's trust store. */
    public Connection(URI baseUrl, @Nullable String token, String source, @Nullable String project) {
        this(baseUrl, token, source, project, null);
    }

    /** The same server and trust, with another token (or none). */
    public Connection withToken(@Nullable String other) {
        return new Connection(baseUrl, other, source, project, caFile);
    }

    public Connection {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(source, "source is null");
        if (token != null && !validToken(token)) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "the token contains whitespace or control characters");
        }
    }

    public URI apiUrl() {
        return URI.create(baseUrl + API_PREFIX);
    }

    /** Never shows the token: connections end up in error messages and logs. */
    @Override
    public String toString() {
        return "Connection[baseUrl=" + baseUrl + ", token=" + (token == null ? "none" : "***") + ", source=" + source
                + (project == null ? "" : ", project=" + project) + (caFile == null ? "" : ", caFile=" + caFile) + "]";
    }

    private static boolean validToken(String token) {
        return !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
