package io.vireo.cli.client;

import static io.vireo.cli.client.ApiTransport.encode;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The operations of the Vireo REST API, one method per endpoint. Objects come back as the server's JSON so that
 * {@code -o json} passes on every field, including ones this client does not know; {@link WireFormat#read} turns them
 * into views. Lists follow {@code nextCursor} up to {@link ClientSettings#maxPages()} pages.
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
        return list("/vms", query);
    }

    public JsonNode vm(String nameOrId) {
        return get(path("vms", nameOrId));
    }

    /**
     * Part of the VM's serial console log: {@code {"data", "offset", "nextOffset", "size"}}. A negative
     * {@code offset} asks for the last {@code |offset|} bytes.
     */
    public JsonNode consoleLog(String nameOrId, long offset, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("offset", Long.toString(offset));
        query.put("limit", Integer.toString(limit));
        return transport.send("GET", path("vms", nameOrId, "console"), query, null, Map.of());
    }

    /** The VM's latest resource-use sample ({@code GET /vms/{nameOrId}/stats}). */
    public JsonNode vmStats(String nameOrId) {
        return get(path("vms", nameOrId, "stats"));
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

    /** Starts a live migration of the VM, to {@code host} or (null) a host the scheduler picks. */
    public JsonNode migrateVm(String nameOrId, @Nullable String host) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (host != null) {
            body.put("host", host);
        }
        return transport.send("POST", path("vms", nameOrId, "actions", "migrate"), Map.of(), body, Map.of());
    }

    /** The VM's live migrations, newest first. */
    public List<JsonNode> migrations(String nameOrId) {
        List<JsonNode> items = new ArrayList<>();
        transport
                .send("GET", path("vms", nameOrId, "migrations"), Map.of(), null, Map.of())
                .path("items")
                .forEach(items::add);
        return items;
    }

    public JsonNode migration(String nameOrId, String migrationId) {
        return get(path("vms", nameOrId, "migrations", migrationId));
    }

    public JsonNode deleteVm(String nameOrId) {
        return transport.send("DELETE", path("vms", nameOrId), Map.of(), null, Map.of());
    }

    public List<JsonNode> hosts() {
        return list("/hosts", Map.of());
    }

    public JsonNode host(String nameOrId) {
        return get(path("hosts", nameOrId));
    }

    /** Drops the host's own capacity policy ({@code DELETE /hosts/{nameOrId}/capacity-policy}). */
    public JsonNode resetHostCapacityPolicy(String nameOrId) {
        return transport.send("DELETE", path("hosts", nameOrId, "capacity-policy"), Map.of(), null, Map.of());
    }

    /** Takes the host out of placement, or puts it back ({@code PUT|DELETE /hosts/{nameOrId}/maintenance}). */
    public JsonNode setHostMaintenance(String nameOrId, boolean on) {
        return transport.send(on ? "PUT" : "DELETE", path("hosts", nameOrId, "maintenance"), Map.of(), null, Map.of());
    }

    /** Confirms that a DOWN or SUSPECT host is off: FENCED, its VMs restarted by their HA policy. */
    /**
     * Starts draining the host ({@code POST}), shows its drain ({@code GET}) or stops it ({@code DELETE}) at {@code
     * /hosts/{nameOrId}/drain}.
     */
    public JsonNode hostDrain(String method, String nameOrId) {
        return transport.send(method, path("hosts", nameOrId, "drain"), Map.of(), null, Map.of());
    }

    public JsonNode evacuateHost(String nameOrId) {
        return transport.send("POST", path("hosts", nameOrId, "evacuate"), Map.of(), null, Map.of());
    }

    /** Sets the host's reserved amounts and allocation ratios ({@code PUT /hosts/{nameOrId}/capacity-policy}). */
    public JsonNode setHostCapacityPolicy(String nameOrId, Map<String, Object> policy) {
        return transport.send("PUT", path("hosts", nameOrId, "capacity-policy"), Map.of(), policy, Map.of());
    }

    /**
     * Makes a one-time join token for a host agent ({@code POST /hosts/join-tokens}), valid {@code expiresInSeconds}
     * (the server's default if null), for a new host or to re-enroll {@code host}.
     */
    public JsonNode createJoinToken(@Nullable Long expiresInSeconds, @Nullable String host) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        if (host != null) {
            body.put("host", host);
        }
        return transport.send("POST", "/hosts/join-tokens", Map.of(), body, Map.of());
    }

    public List<JsonNode> flavors() {
        return list("/flavors", Map.of());
    }

    public JsonNode flavor(String name) {
        return get(path("flavors", name));
    }

    public JsonNode createFlavor(FlavorSpec spec) {
        return transport.send("POST", "/flavors", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    /** Deletes a host ({@code DELETE /hosts/{nameOrId}}); returns whatever the server answered (a JSON null for none). */
    public JsonNode deleteHost(String nameOrId) {
        return transport.send("DELETE", path("hosts", nameOrId), Map.of(), null, Map.of());
    }

    /** Deletes a flavor; returns whatever the server answered (a JSON null for an empty body). */
    public JsonNode deleteFlavor(String name) {
        return transport.send("DELETE", path("flavors", name), Map.of(), null, Map.of());
    }

    public List<JsonNode> groups() {
        return list("/server-groups", Map.of());
    }

    public JsonNode group(String name) {
        return get(path("server-groups", name));
    }

    public JsonNode createGroup(GroupSpec spec) {
        return transport.send("POST", "/server-groups", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    /** Deletes a server group; returns whatever the server answered (a JSON null for an empty body). */
    public JsonNode deleteGroup(String name) {
        return transport.send("DELETE", path("server-groups", name), Map.of(), null, Map.of());
    }

    public JsonNode createVolume(VolumeSpec spec) {
        return transport.send("POST", "/volumes", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    public List<JsonNode> volumes() {
        return list("/volumes", Map.of());
    }

    public JsonNode volume(String name) {
        return get(path("volumes", name));
    }

    public JsonNode deleteVolume(String name) {
        return transport.send("DELETE", path("volumes", name), Map.of(), null, Map.of());
    }

    public JsonNode createNetwork(NetworkSpec spec) {
        return transport.send("POST", "/networks", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    public List<JsonNode> networks() {
        return list("/networks", Map.of());
    }

    public JsonNode network(String name) {
        return get(path("networks", name));
    }

    public JsonNode deleteNetwork(String name) {
        return transport.send("DELETE", path("networks", name), Map.of(), null, Map.of());
    }

    public JsonNode createSubnet(SubnetSpec spec) {
        return transport.send("POST", "/subnets", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    public List<JsonNode> subnets() {
        return list("/subnets", Map.of());
    }

    public JsonNode subnet(String name) {
        return get(path("subnets", name));
    }

    public JsonNode deleteSubnet(String name) {
        return transport.send("DELETE", path("subnets", name), Map.of(), null, Map.of());
    }

    public JsonNode createPort(PortSpec spec) {
        return transport.send("POST", "/ports", Map.of(), requireNonNull(spec, "spec is null"), Map.of());
    }

    public List<JsonNode> ports() {
        return list("/ports", Map.of());
    }

    public JsonNode port(String nameOrId) {
        return get(path("ports", nameOrId));
    }

    public JsonNode deletePort(String nameOrId) {
        return transport.send("DELETE", path("ports", nameOrId), Map.of(), null, Map.of());
    }

    public List<JsonNode> images() {
        return list("/images", Map.of());
    }

    public JsonNode image(String name) {
        return get(path("images", name));
    }

    /** Creates an image record; {@code sha256} (or null) is the checksum its upload must have. */
    public JsonNode createImage(ImageSpec spec, @Nullable String sha256) {
        Map<String, String> query = sha256 == null ? Map.of() : Map.of("sha256", sha256);
        return transport.send("POST", "/images", query, requireNonNull(spec, "spec is null"), Map.of());
    }

    /** Streams {@code file} as the image's bytes; the answer is the image, ACTIVE once accepted. */
    public JsonNode uploadImage(String nameOrId, Path file, Duration timeout) {
        return transport.sendFile("PUT", path("images", nameOrId, "file"), Map.of(), file, timeout);
    }

    public JsonNode deleteImage(String name) {
        return transport.send("DELETE", path("images", name), Map.of(), null, Map.of());
    }

    /**
     * Events, oldest first: the {@code limit} events after sequence {@code after}, or without it the latest
     * {@code limit} (which reads the log to its end, at most {@link ClientSettings#maxPages()} pages).
     */
    public List<JsonNode> events(EventQuery query) {
        Map<String, String> filters = new LinkedHashMap<>();
        if (query.kind() != null) {
            filters.put("kind", query.kind());
        }
        if (query.object() != null) {
            filters.put("object", query.object());
        }
        if (query.correlationId() != null) {
            filters.put("correlationId", query.correlationId());
        }
        if (query.after() != null) {
            return list("/events", filters, Long.toString(query.after()), query.limit());
        }
        ArrayDeque<JsonNode> latest = new ArrayDeque<>(query.limit() + 1);
        scan("/events", filters, null, new ItemSink() {
            @Override
            public int wanted() {
                return settings.pageSize();
            }

            @Override
            public void accept(JsonNode item) {
                latest.addLast(item);
                if (latest.size() > query.limit()) {
                    latest.removeFirst();
                }
            }
        });
        return List.copyOf(latest);
    }

    /**
     * The newest {@code limit} audit records that match the query, newest first (as many pages as it takes, at most
     * {@link ClientSettings#maxPages()}).
     */
    public List<JsonNode> audit(AuditQuery query) {
        Map<String, String> filters = new LinkedHashMap<>();
        if (query.since() != null) {
            filters.put("since", query.since().toString());
        }
        if (query.until() != null) {
            filters.put("until", query.until().toString());
        }
        putIfPresent(filters, "actor", query.actor());
        putIfPresent(filters, "action", query.action());
        putIfPresent(filters, "target", query.target());
        putIfPresent(filters, "outcome", query.outcome());
        putIfPresent(filters, "correlationId", query.correlationId());
        return list("/audit", filters, null, query.limit());
    }

    private static void putIfPresent(Map<String, String> map, String key, @Nullable String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Logs a person in: {@code {"token", "id", "user", "project", "role", "expiresAt"}}; sends no bearer token. */
    public JsonNode login(String user, String password) {
        return transport.send("POST", "/auth/tokens", Map.of(), new LoginSpec(user, password), Map.of());
    }

    /** Who the connection's token acts as. */
    public JsonNode caller() {
        return get("/auth/caller");
    }

    public List<JsonNode> projects() {
        return list("/projects", Map.of());
    }

    public JsonNode project(String name) {
        return get(path("projects", name));
    }

    public JsonNode createProject(String name) {
        return transport.send("POST", "/projects", Map.of(), Map.of("name", name), Map.of());
    }

    /** The project's quota: {@code {"project", "instances": {"limit", "used"}, "vcpus": ...}}. */
    public JsonNode quota(String project) {
        return get(path("projects", project, "quota"));
    }

    /** Changes the named limits ({@code -1}: unlimited) of the project's quota; returns the quota after. */
    public JsonNode setQuota(String project, Map<String, Long> limits) {
        return transport.send("PUT", path("projects", project, "quota"), Map.of(), limits, Map.of());
    }

    public JsonNode deleteProject(String name) {
        return transport.send("DELETE", path("projects", name), Map.of(), null, Map.of());
    }

    public List<JsonNode> users() {
        return list("/users", Map.of());
    }

    public JsonNode user(String name) {
        return get(path("users", name));
    }

    public JsonNode createUser(UserSpec spec) {
        return transport.send(
                "POST", "/users", Map.of(), requireNonNull(spec, "spec is null").body(), Map.of());
    }

    public JsonNode deleteUser(String name) {
        return transport.send("DELETE", path("users", name), Map.of(), null, Map.of());
    }

    public List<JsonNode> tokens() {
        return list("/tokens", Map.of());
    }

    /** A new token; its text is in the answer's {@code token}, this once. */
    public JsonNode createToken(@Nullable String user, @Nullable String description, @Nullable Long expiresInSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (user != null) {
            body.put("user", user);
        }
        if (description != null) {
            body.put("description", description);
        }
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        return transport.send("POST", "/tokens", Map.of(), body, Map.of());
    }

    public JsonNode revokeToken(String id) {
        return transport.send("POST", path("tokens", id, "revoke"), Map.of(), null, Map.of());
    }

    public JsonNode deleteToken(String id) {
        return transport.send("DELETE", path("tokens", id), Map.of(), null, Map.of());
    }

    /** The active alerts (one page: the server lists them all). */
    public List<JsonNode> alerts() {
        return items(get("/alerts"));
    }

    /** The alert rules the server evaluates. */
    public List<JsonNode> alertRules() {
        return items(get("/alerts/rules"));
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }

    private JsonNode get(String path) {
        return transport.send("GET", path, Map.of(), null, Map.of());
    }

    /** Where {@link #scan} puts the items of each page, and how many it asks for next. */
    private interface ItemSink {
        /** The {@code limit} of the next page; 0 ends the scan. */
        int wanted();

        void accept(JsonNode item);
    }

    /** The first {@code maxItems} items of a paged list, starting after {@code cursor} (null: from the start). */
    private List<JsonNode> list(String path, Map<String, String> filters, @Nullable String cursor, int maxItems) {
        List<JsonNode> items = new ArrayList<>();
        scan(path, filters, cursor, new ItemSink() {
            @Override
            public int wanted() {
                return Math.min(settings.pageSize(), maxItems - items.size());
            }

            @Override
            public void accept(JsonNode item) {
                if (items.size() < maxItems) {
                    items.add(item);
                }
            }
        });
        return items;
    }

    private List<JsonNode> list(String path, Map<String, String> filters) {
        return list(path, filters, null, Integer.MAX_VALUE);
    }

    /**
     * Reads a paged list, following {@code nextCursor} until the server sends none or the sink wants no more. A
     * cursor that repeats, or more than {@link ClientSettings#maxPages()} pages, is an error rather than a loop.
     */
    private void scan(String path, Map<String, String> filters, @Nullable String start, ItemSink sink) {
        String cursor = start;
        for (int page = 0; page < settings.maxPages(); page++) {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("limit", Integer.toString(sink.wanted()));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode body = transport.send("GET", path, query, null, Map.of());
            JsonNode items = body.path("items");
            if (!items.isArray()) {
                throw new CliException(
                        CliErrorCode.INVALID_RESPONSE, "the answer to GET " + path + " has no \"items\" array");
            }
            items.forEach(sink::accept);
            String next = body.path("nextCursor").isTextual()
                    ? body.path("nextCursor").asText()
                    : null;
            if (next == null || next.isEmpty() || sink.wanted() <= 0) {
                return;
            }
            if (next.equals(cursor)) {
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
