package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.CorrelationIds;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.EventJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.RequestContext;
import io.vireo.controller.VmService;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.Vm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /events}: the event log, oldest first. The cursor is the sequence of the last event seen, so a client can
 * also poll for new events with it. Admins see every event; anyone else sees their own project's VMs' events.
 * Thread-safe.
 */
public final class EventResource {
    static final String PATH = ApiPaths.V1 + "/events";
    static final String VM = "vm";
    static final String HOST = "host";

    private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");

    private final Repositories store;
    private final VmService vms;

    public EventResource(Repositories store, VmService vms) {
        this.store = requireNonNull(store, "store is null");
        this.vms = requireNonNull(vms, "vms is null");
    }

    public List<Route> routes() {
        return List.of(Route.of(
                HttpMethod.GET,
                PATH,
                Operation.builder("listEvents", "List events, oldest first")
                        .parameter(Parameter.queryOneOf(
                                "kind", "Only events about objects of this kind.", List.of(VM, HOST)))
                        .parameter(Parameter.query(
                                "object",
                                "Only events about this object: an id, or a name (looked up as a VM, then a host,"
                                        + " unless kind says which)."))
                        .parameter(Parameter.query(
                                "correlationId",
                                "Only events of the work this correlation id names: an API call (its"
                                        + " X-Correlation-Id), or what an operator's request started, such as a"
                                        + " host's drain."))
                        .paged()
                        .responds(200, "A page of events", Payload.pageOf(EventJson.class))
                        .errors(ErrorCode.NOT_FOUND)
                        .build(),
                this::list));
    }

    private ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        String kind = request.query("kind").orElse(null);
        UUID objectId = request.query("object")
                .map(object -> resolve(context, kind, object))
                .orElse(null);
        long after = request.cursor().map(EventResource::sequence).orElse(0L);
        int limit = request.limit();
        UUID project = context.principal().admin() ? null : context.projectId();
        String correlationId = request.query("correlationId")
                .map(id -> {
                    if (!CorrelationIds.isSane(id)) {
                        throw VireoException.invalid("correlationId", "must be a correlation id");
                    }
                    return id;
                })
                .orElse(null);
        List<Event> events = store.events().list(new EventFilter(kind, objectId, project, after, limit, correlationId));
        String next =
                events.size() == limit ? Long.toString(events.get(limit - 1).sequence()) : null;
        return ApiResponse.ok(new PageJson<>(events.stream().map(EventJson::of).toList(), next));
    }

    /** The id of the object an {@code object} parameter names. */
    private UUID resolve(RequestContext context, @Nullable String kind, String object) {
        Optional<UUID> id = Lookups.uuid(object);
        if (id.isPresent()) {
            return id.get();
        }
        if (HOST.equals(kind)) {
            return Lookups.host(store.hosts(), "object", object).id();
        }
        if (VM.equals(kind)) {
            Lookups.requireNameOrId("object", object);
            return vms.get(context, object).id();
        }
        Optional<UUID> vm = Names.isValid(object) ? vms.find(context, object).map(Vm::id) : Optional.empty();
        if (vm.isPresent()) {
            return vm.get();
        }
        if (!Lookups.HOST_NAME.matcher(object).matches()) {
            throw VireoException.invalid("object", "must be the name of a VM or host, or an id");
        }
        return store.hosts()
                .findByName(object)
                .map(Host::id)
                .orElseThrow(() -> new VireoException(
                        ErrorCode.NOT_FOUND,
                        "no VM or host named '" + object + "'",
                        Map.of("kind", "vm|host", "name", object)));
    }

    private static long sequence(String cursor) {
        if (!SEQUENCE.matcher(cursor).matches()) {
            throw VireoException.invalid("cursor", "must be the sequence of an event");
        }
        return Long.parseLong(cursor);
    }
}
