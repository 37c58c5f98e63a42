package io.vireo.cli.client;

import static io.vireo.cli.client.ApiTransport.encode;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The operations of the Vireo REST API, one method per endpoint. Objects come back as the server's JSON so that
 * {@code -o json} passes on every field, including ones this client does not know; {@link WireFormat#read} turns them
 * into views. Lists follow {@code nextCursor} up to {@link ClientSettings#maxPages()}.
 *
 * <p>Thread-safe. Close it to release the HTTP client's threads.
 */
public final class VireoClient implements AutoCloseable {
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private final ClientSettings settings;
    private final ApiTransport transport;

    public VireoClient(Connection connection, ClientSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.transport = new ApiTransport(requireNonNull(connection, "connection is null"), settings);
    }

    public List<JsonNode> vms(@Nullable String state, @Nullable String host) {
        Map<String, String> query = new LinkedHashMap<>();
        if (state != null) {
            query.put("state", state);
        }
        if (host != null) {
            query.put("host", host);
        }
        return list("/vms", query, Integer.MAX_VALUE);
    }

    public JsonNode vm(String nameOrId) {
        return get(path("vms", nameOrId));
    }

    /** The VM, or empty when the server answers 404. */
    public Optional<JsonNode> findVm(String nameOrId) {
        try {
            return Optional.of(vm(nameOrId));
        } catch (ApiException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Asks for a new VM. A connection that breaks before the answer arrives is retried up to
     * {@link ClientSettings#createAttempts()} times with the same key, so the server creates the VM at most once.
     */
    public JsonNode createVm(VmSpec spec, UUID idempotencyKey) {
        requireNonNull(spec, "spec is null");
        Map<String, String> headers = Map.of(IDEMPOTENCY_KEY_HEADER, idempotencyKey.toString());
        for (int attempt = 1; attempt < settings.createAttempts(); attempt++) {
            try {
                return transport.send("POST", "/vms", Map.of(), spec, headers);
            } catch (CliException e) {
                if (e instanceof ApiException || !retryable(e)) {
                    throw e;
                }
            }
        }
        return transport.send("POST", "/vms", Map.of(), spec, headers);
    }

    public JsonNode vmAction(String nameOrId, VmAction action) {
        return transport.send("POST", path("vms", nameOrId, action.pathSegment()), Map.of(), null, Map.of());
    }

    public JsonNode deleteVm(String nameOrId) {
        return transport.send("DELETE", path("vms", nameOrId), Map.of(), null, Map.of());
    }

    public List<JsonNode> hosts() {
        return list("/hosts", Map.of(), Integer.MAX_VALUE);
    }

    public JsonNode host(String nameOrId) {
        return get(path("hosts", nameOrId));
    }

    public List<JsonNode> flavors() {
        return list("/flavors", Map.of(), Integer.MAX_VALUE);
    }

    public JsonNode flavor(String name) {
        return get(path("flavors", name));
    }

    public JsonNode createFlavor(FlavorSpec spec) {
        return transport.send("POST", "/flavors", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    /** Deletes a flavor; returns whatever the server answered (a JSON null for an empty body). */
    public JsonNode deleteFlavor(String name) {
        return transport.send("DELETE", path("flavors", name), Map.of(), null, Map.of());
    }

    public List<JsonNode> images() {
        return list("/images", Map.of(), Integer.MAX_VALUE);
    }

    public JsonNode image(String name) {
        return get(path("images", name));
    }

    public JsonNode deleteImage(String name) {
        return transport.send("DELETE", path("images", name), Map.of(), null, Map.of());
    }

    public List<JsonNode> events(EventQuery query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query.kind() != null) {
            parameters.put("kind", query.kind());
        }
        if (query.object() != null) {
            parameters.put("object", query.object());
        }
        return list("/events", parameters, query.limit());
    }

    private JsonNode get(String path) {
        return transport.send("GET", path, Map.of(), null, Map.of());
    }

    /**
     * Collects the items of a paged list, asking for {@code limit} and following {@code cursor} until the server
     * sends no further cursor or {@code maxItems} have arrived.
     */
    private List<JsonNode> list(String path, Map<String, String> filters, int maxItems) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < settings.maxPages(); page++) {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("limit", Integer.toString(Math.min(settings.pageSize(), maxItems - items.size())));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode body = transport.send("GET", path, query, null, Map.of());
            JsonNode pageItems = body.path("items");
            if (!pageItems.isArray()) {
                throw new CliException(
                        CliErrorCode.INVALID_RESPONSE, "the answer to GET " + path + " has no \"items\" array");
            }
            pageItems.forEach(item -> {
                if (items.size() < maxItems) {
                    items.add(item);
                }
            });
            String next = body.path("nextCursor").isTextual()
                    ? body.path("nextCursor").asText()
                    : null;
            if (next == null || next.isEmpty() || items.size() >= maxItems) {
                return items;
            }
            if (Objects.equals(next, cursor)) {
                throw new CliException(
                        CliErrorCode.INVALID_RESPONSE, "GET " + path + " returned the same cursor twice: " + next);
            }
            cursor = next;
        }
        throw new CliException(
                CliErrorCode.INVALID_RESPONSE,
                "GET " + path + " did not end after " + settings.maxPages() + " pages of " + settings.pageSize()
                        + "; narrow the list with a filter");
    }

    private static boolean retryable(CliException failure) {
        for (CliErrorCode code : CliErrorCode.values()) {
            if (failure.is(code)) {
                return code.transientTransport();
            }
        }
        return false;
    }

    private static String path(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(encode(segment));
        }
        return path.toString();
    }

    @Override
    public void close() {
        transport.close();
    }
}
