package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.ConsoleLogJson;
import io.vireo.api.json.NewVmJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.VmGangJson;
import io.vireo.api.json.VmJson;
import io.vireo.api.json.VmStatsJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.CreateVmRequest;
import io.vireo.controller.MigrationService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.VmGang;
import io.vireo.controller.VmService;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Page;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmFilter;
import io.vireo.model.Vm;
import io.vireo.model.VmAction;
import io.vireo.model.VmState;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /vms}: the VMs of the caller's project. Mutations are accepted (202) and carried out by the control loops;
 * the response shows the VM with its new spec. Thread-safe.
 */
public final class VmResource {
    static final String PATH = ApiPaths.V1 + "/vms";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Pattern IDEMPOTENCY_KEY_TEXT =
            Pattern.compile("[\\x21-\\x7e]{1," + CreateVmRequest.MAX_IDEMPOTENCY_KEY_LENGTH + "}");
    private static final String CONSOLE_OFFSET = "offset";
    private static final String CONSOLE_LIMIT = "limit";
    /** The console bytes a read returns unless asked otherwise: the last 64 KiB. */
    private static final int DEFAULT_CONSOLE_BYTES = 64 * 1024;
    /** The largest console offset accepted: the largest integer a JSON number holds exactly. */
    private static final long MAX_CONSOLE_OFFSET = (1L << 53) - 1;

    private static final Parameter NAME_OR_ID = Parameter.path("nameOrId", "The VM's name or id.");

    private final VmService vms;
    private final HostRepository hosts;
    private final VmViews views;

    /** @param migrations shows each VM's migration in flight; null where the API serves no live migration */
    public VmResource(VmService vms, Repositories store, @Nullable MigrationService migrations) {
        this.vms = requireNonNull(vms, "vms is null");
        this.hosts = requireNonNull(store, "store is null").hosts();
        this.views = new VmViews(store, migrations);
    }

    public List<Route> routes() {
        return List.of(
                Route.of(HttpMethod.GET, PATH, listOperation(), this::list),
                Route.of(HttpMethod.POST, PATH, createOperation(), this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}",
                        Operation.builder("getVm", "Get a VM")
                                .parameter(NAME_OR_ID)
                                .responds(200, "The VM", Payload.of(VmJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                action(
                        HttpMethod.DELETE,
                        "",
                        "deleteVm",
                        "Delete a VM: stop it, release its resources",
                        VmAction.DELETE),
                action(
                        HttpMethod.POST,
                        "/start",
                        "startVm",
                        "Start a stopped VM (or retry a failed one)",
                        VmAction.START),
                action(HttpMethod.POST, "/stop", "stopVm", "Stop a VM: ACPI shutdown, then power off", VmAction.STOP),
                action(HttpMethod.POST, "/reboot", "rebootVm", "Reboot a running VM", VmAction.REBOOT),
                action(
                        HttpMethod.POST,
                        "/pause",
                        "pauseVm",
                        "Pause a running VM: its vCPUs halt, its memory stays (409 unless it runs)",
                        VmAction.PAUSE),
                action(
                        HttpMethod.POST,
                        "/resume",
                        "resumeVm",
                        "Resume a paused VM (409 for a stopped one: start it instead)",
                        VmAction.RESUME),
                Route.of(HttpMethod.GET, PATH + "/{nameOrId}/console", consoleOperation(), this::console),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}/stats",
                        Operation.builder("getVmStats", "Get the latest resource-use sample of a VM")
                                .parameter(NAME_OR_ID)
                                .responds(200, "The sample and when it was taken", Payload.of(VmStatsJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        request -> ApiResponse.ok(VmStatsJson.of(vms.stats(request.context(), nameOrId(request))))));
    }

    private static Operation consoleOperation() {
        return Operation.builder("getVmConsoleLog", "Read part of a VM's serial console log from its host's agent")
                .parameter(NAME_OR_ID)
                .parameter(Parameter.queryInteger(
                        CONSOLE_OFFSET,
                        "Where to start, in bytes from the start of the log; negative: the last |offset| bytes.",
                        -MAX_CONSOLE_OFFSET,
                        MAX_CONSOLE_OFFSET,
                        -DEFAULT_CONSOLE_BYTES))
                .parameter(Parameter.queryInteger(
                        CONSOLE_LIMIT,
                        "The most bytes to return.",
                        1,
                        VmService.MAX_CONSOLE_BYTES,
                        DEFAULT_CONSOLE_BYTES))
                .responds(200, "Part of the log", Payload.of(ConsoleLogJson.class))
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.UNAVAILABLE)
                .build();
    }

    private static Operation listOperation() {
        List<String> states = Arrays.stream(VmState.values()).map(Enum::name).toList();
        return Operation.builder("listVms", "List the project's VMs, ordered by name then id")
                .parameter(Parameter.queryOneOf(
                        "state", "Only VMs in this state; DELETED VMs are listed only when asked for.", states))
                .parameter(Parameter.query("host", "Only VMs placed on this host (name or id)."))
                .paged()
                .responds(200, "A page of VMs", Payload.pageOf(VmJson.class))
                .errors(ErrorCode.NOT_FOUND)
                .build();
    }

    private static Operation createOperation() {
        return Operation.builder("createVm", "Create a VM; it is placed and started asynchronously")
                .parameter(Parameter.header(
                        IDEMPOTENCY_KEY,
                        "1-200 printable ASCII characters that make retries safe: a create repeated with the same key"
                                + " and the same request (whatever its whitespace or field order) returns what the"
                                + " first one made (202); the same key with another request is 422"
                                + " IDEMPOTENCY_KEY_REUSED and creates nothing.",
                        CreateVmRequest.MAX_IDEMPOTENCY_KEY_LENGTH))
                .requestBody(NewVmJson.class)
                .responds(
                        202,
                        "The VM, accepted; with a count above 1, the gang (Location: its first member)",
                        Payload.oneOf(VmJson.class, VmGangJson.class))
                .errors(
                        ErrorCode.NOT_FOUND,
                        ErrorCode.ALREADY_EXISTS,
                        ErrorCode.CONFLICT,
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        ErrorCode.QUOTA_EXCEEDED)
                .build();
    }

    private Route action(HttpMethod method, String suffix, String operationId, String summary, VmAction action) {
        Operation operation = Operation.builder(operationId, summary)
                .parameter(NAME_OR_ID)
                .responds(202, "The VM with its new spec, accepted", Payload.of(VmJson.class))
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                .build();
        return Route.of(method, PATH + "/{nameOrId}" + suffix, operation, request -> act(request, action));
    }

    private ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        VmState state = request.query("state").map(VmState::valueOf).orElse(null);
        UUID hostId = request.query("host")
                .map(host -> Lookups.host(hosts, "host", host).id())
                .orElse(null);
        String cursor = request.cursor().orElse(null);
        Page<Vm> page = vms.list(new VmFilter(context.projectId(), state, hostId, request.limit(), cursor));
        return ApiResponse.ok(new PageJson<>(views.all(page.items(), context.projectId()), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        String key = request.header(IDEMPOTENCY_KEY)
                .map(VmResource::requireIdempotencyKey)
                .orElse(null);
        NewVmJson body = request.body(NewVmJson.class);
        if (body.vmCount() > 1) {
            VmGang gang = vms.createGang(request.context(), body.toRequest(key), body.vmCount());
            List<VmJson> members = views.all(gang.members(), request.context().projectId());
            return ApiResponse.accepted(
                    new VmGangJson(gang.gangId(), members),
                    PATH + "/" + gang.members().get(0).id());
        }
        Vm vm = vms.create(request.context(), body.toRequest(key));
        return ApiResponse.accepted(views.one(vm), PATH + "/" + vm.id());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(views.one(vms.get(request.context(), nameOrId(request))));
    }

    private ApiResponse act(ApiRequest request, VmAction action) {
        Vm vm = vms.act(request.context(), nameOrId(request), action);
        return ApiResponse.accepted(views.one(vm), PATH + "/" + vm.id());
    }

    private ApiResponse console(ApiRequest request) {
        long offset = request.integer(CONSOLE_OFFSET);
        int limit = Math.toIntExact(request.integer(CONSOLE_LIMIT));
        return ApiResponse.ok(ConsoleLogJson.of(vms.consoleLog(request.context(), nameOrId(request), offset, limit)));
    }

    private static String nameOrId(ApiRequest request) {
        return Lookups.requireNameOrId("nameOrId", request.pathParameter("nameOrId"));
    }

    private static String requireIdempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY_TEXT.matcher(key).matches()) {
            throw VireoException.invalid(
                    IDEMPOTENCY_KEY,
                    "must be 1-" + CreateVmRequest.MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters");
        }
        return key;
    }
}
