package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides which server to talk to and with which token.
 *
 * <p>The URL comes from the first of: {@code --url}, {@value #URL_VARIABLE}, the server of the saved login ({@code
 * vireo login}, {@link SavedLogin}), the {@code api-url} file of the data directory. The token comes from the first
 * of: {@code --token}, {@value #TOKEN_VARIABLE}, the saved login's token, the {@code admin-token} file of the data
 * directory; the last two only when the URL is the one they were made for, so that a token is never sent to some
 * other server. The certificates trusted for an {@code https} server come from the first of: {@code --ca-file},
 * {@value #CA_FILE_VARIABLE}, the CA saved with the login (for its server), the data directory's {@code api-ca.pem}
 * (for the URL in its {@code api-url}); else the JDK's trust store (for a certificate of a public CA).
 */
public final class ConnectionResolver {
    public static final String URL_VARIABLE = "VIREO_URL";
    public static final String TOKEN_VARIABLE = "VIREO_TOKEN";
    public static final String PROJECT_VARIABLE = "VIREO_PROJECT";
    public static final String CA_FILE_VARIABLE = "VIREO_CA_FILE";

    private ConnectionResolver() {}

    /** What the user passed on the command line; each value is null when the option was not given. */
    public record Options(
            @Nullable String url,
            @Nullable String token,
            @Nullable Path dataDirectory,
            @Nullable String project,
            @Nullable Path caFile) {
        public Options(@Nullable String url, @Nullable String token, @Nullable Path dataDirectory) {
            this(url, token, dataDirectory, null, null);
        }

        public Options(
                @Nullable String url, @Nullable String token, @Nullable Path dataDirectory, @Nullable String project) {
            this(url, token, dataDirectory, project, null);
        }
    }

    public static Connection resolve(Options options, Map<String, String> environment, Path userHome) {
        requireNonNull(options, "options is null");
        requireNonNull(environment, "environment is null");
        DataDirectory dataDirectory = DataDirectory.resolve(options.dataDirectory(), environment, userHome);
        Path configDirectory = SavedLogin.directory(environment, userHome);
        SavedLogin login = SavedLogin.read(configDirectory).orElse(null);
        URI url;
        String source;
        if (options.url() != null) {
            source = "--url";
            url = parseUrl(options.url(), source);
        } else if (present(environment.get(URL_VARIABLE))) {
            source = URL_VARIABLE;
            url = parseUrl(requireNonNull(environment.get(URL_VARIABLE)), source);
        } else if (login != null) {
            source = "vireo login";
            url = login.url();
        } else {
            source = dataDirectory.apiUrlFile().toString();
            url = parseUrl(dataDirectory.apiUrl().orElseThrow(() -> notConfigured(dataDirectory)), source);
        }
        String project = options.project() != null ? options.project() : environment.get(PROJECT_VARIABLE);
        return new Connection(
                url,
                token(options, environment, login, dataDirectory, url),
                source,
                project == null || project.isBlank() ? null : project.strip(),
                caFile(options, environment, login, configDirectory, dataDirectory, url));
    }

    private static @Nullable Path caFile(
            Options options,
            Map<String, String> environment,
            @Nullable SavedLogin login,
            Path configDirectory,
            DataDirectory dataDirectory,
            URI url) {
        if (options.caFile() != null) {
            return options.caFile();
        }
        String variable = environment.get(CA_FILE_VARIABLE);
        if (present(variable)) {
            return Path.of(requireNonNull(variable).strip());
        }
        Path saved = SavedLogin.caFile(configDirectory);
        if (login != null && login.url().equals(url) && Files.exists(saved)) {
            return saved;
        }
        Optional<String> localUrl = dataDirectory.apiUrl();
        if (localUrl.isPresent()
                && parseUrl(localUrl.get(), dataDirectory.apiUrlFile().toString())
                        .equals(url)
                && Files.exists(dataDirectory.apiCaFile())) {
            return dataDirectory.apiCaFile();
        }
        return null;
    }

    private static @Nullable String token(
            Options options,
            Map<String, String> environment,
            @Nullable SavedLogin login,
            DataDirectory dataDirectory,
            URI url) {
        if (options.token() != null) {
            return options.token().strip();
        }
        String variable = environment.get(TOKEN_VARIABLE);
        if (present(variable)) {
            return requireNonNull(variable).strip();
        }
        if (login != null && login.url().equals(url)) {
            return login.token();
        }
        Optional<String> localUrl = dataDirectory.apiUrl();
        if (localUrl.isPresent()
                && parseUrl(localUrl.get(), dataDirectory.apiUrlFile().toString())
                        .equals(url)) {
            return dataDirectory.adminToken().orElse(null);
        }
        return null;
    }

    /**
     * Parses a server URL: {@code http} or {@code https} with a host; a trailing slash or {@code /api/v1} is dropped,
     * so that both the server root and the API root are accepted.
     */
    public static URI parseUrl(String text, String source) {
        String trimmed = text.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalidUrl(trimmed, source, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalidUrl(trimmed, source, "expected http:// or https://");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalidUrl(trimmed, source, "expected scheme://host[:port][/path]");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        path = stripTrailingSlashes(path);
        if (path.endsWith(Connection.API_PREFIX)) {
            path = stripTrailingSlashes(path.substring(0, path.length() - Connection.API_PREFIX.length()));
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static String stripTrailingSlashes(String path) {
        String result = path;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static CliException invalidUrl(String url, String source, String reason) {
        return new CliException(
                CliErrorCode.NOT_CONFIGURED, "invalid server URL '" + url + "' (from " + source + "): " + reason);
    }

    private static CliException notConfigured(DataDirectory dataDirectory) {
        return new CliException(
                CliErrorCode.NOT_CONFIGURED,
                "no Vireo server configured: pass --url, set " + URL_VARIABLE + ", or start a local one with 'vireo up'"
                        + " (no " + dataDirectory.apiUrlFile() + ")");
    }
}
