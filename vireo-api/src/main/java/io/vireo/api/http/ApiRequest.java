package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.vireo.api.json.EmptyJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One request as a route handler sees it, after the dispatcher has authenticated it and checked its query. Reads the
 * body at most once, bounded by the body limit. Confined to the request's thread.
 */
public final class ApiRequest {
    private final Context ctx;
    private final @Nullable RequestContext context;
    private final Operation operation;
    private final Map<String, String> query;
    private final JsonCodec json;
    private final int maxBodyBytes;
    private final boolean agent;
    private final AuditNotes notes;

    ApiRequest(
            Context ctx,
            @Nullable RequestContext context,
            Operation operation,
            Map<String, String> query,
            JsonCodec json,
            int maxBodyBytes,
            boolean agent,
            AuditNotes notes) {
        this.ctx = requireNonNull(ctx, "ctx is null");
        this.context = context;
        this.operation = requireNonNull(operation, "operation is null");
        this.query = Map.copyOf(query);
        this.json = requireNonNull(json, "json is null");
        this.maxBodyBytes = maxBodyBytes;
        this.agent = agent;
        this.notes = requireNonNull(notes, "notes is null");
    }

    /**
     * For the call's audit record, when a public call learns who acts (a login: the user whose password matched); the
     * record's actor and project are then theirs.
     */
    public void auditActor(Principal principal) {
        notes.actor(requireNonNull(principal, "principal is null"));
    }

    /**
     * For the call's audit record, the object acted on when the path does not name it (a login: the user named in the
     * body). Only a valid name is kept; anything else may be a secret typed in the wrong place.
     */
    public void auditTarget(@Nullable UUID id, String name) {
        notes.target(id, Names.isValid(name) ? name : null);
    }

    /** True if a host agent calls, with the agents' credential (only for operations with agent access). */
    public boolean callerIsAgent() {
        return agent;
    }

    /**
     * The raw body of an operation that takes a binary one, to be read once as a stream: it must be declared
     * {@code application/octet-stream} (else 415). The body limit of JSON bodies does not apply.
     */
    public InputStream bodyStream() {
        if (!operation.access().binaryRequestBody()) {
            throw new IllegalStateException(operation.operationId() + " declares no binary request body");
        }
        String contentType = ctx.header("Content-Type");
        if (contentType == null || !contentType.split(";")[0].strip().equalsIgnoreCase(MediaTypes.OCTET_STREAM)) {
            throw new VireoException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be " + MediaTypes.OCTET_STREAM + ", not "
                            + (contentType == null ? "undeclared" : "'" + contentType + "'"),
                    Map.of("expected", MediaTypes.OCTET_STREAM));
        }
        return new LazyBody();
    }

    /**
     * The servlet stream, opened at the first read: opening it answers a client's {@code Expect: 100-continue}, and a
     * call refused before it reads the body (401, 409, 503…) must answer with the refusal alone, so that the client
     * never starts sending bytes the server will not read.
     */
    private final class LazyBody extends InputStream {
        private @Nullable InputStream opened;

        private InputStream body() throws IOException {
            if (opened == null) {
                opened = ctx.req().getInputStream();
            }
            return opened;
        }

        @Override
        public int read() throws IOException {
            return body().read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return body().read(buffer, offset, length);
        }

        @Override
        public int available() throws IOException {
            return opened == null ? 0 : opened.available();
        }

        @Override
        public void close() throws IOException {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** The request's Content-Length, or -1 if it has none. */
    public long contentLength() {
        return ctx.req().getContentLengthLong();
    }

    /** The authenticated caller, with the request's correlation id. Only for authenticated operations. */
    public RequestContext context() {
        if (context == null) {
            throw new IllegalStateException(operation.operationId() + " is public: it has no caller context");
        }
        return context;
    }

    public String pathParameter(String name) {
        if (operation.parameter(Parameter.Location.PATH, name) == null) {
            throw new IllegalStateException(operation.operationId() + " declares no path parameter " + name);
        }
        return ctx.pathParam(name);
    }

    /** A declared text query parameter, already checked against its schema. */
    public Optional<String> query(String name) {
        declared(name);
        return Optional.ofNullable(query.get(name));
    }

    /** A declared integer query parameter, or its fallback when absent. */
    public long integer(String name) {
        Parameter parameter = declared(name);
        if (!(parameter.schema() instanceof Parameter.IntegerSchema integer)) {
            throw new IllegalStateException(name + " is not an integer parameter");
        }
        String value = query.get(name);
        return value == null ? integer.fallback() : QueryParameters.parseInteger(name, integer, value);
    }

    /** The page size asked for; see {@link Operation.Builder#paged()}. */
    public int limit() {
        return Math.toIntExact(integer(Paging.LIMIT));
    }

    public Optional<String> cursor() {
        return query(Paging.CURSOR);
    }

    /** A declared header, if the request has it. */
    public Optional<String> header(String name) {
        if (operation.parameter(Parameter.Location.HEADER, name) == null) {
            throw new IllegalStateException(operation.operationId() + " declares no header " + name);
        }
        return Optional.ofNullable(ctx.header(name));
    }

    /**
     * The JSON body as {@code type}. Rejects a body that is not declared as JSON (415), larger than the limit (413),
     * empty, malformed or not exactly of the type (400).
     */
    public <T> T body(Class<T> type) {
        requireJson();
        byte[] bytes = readBody();
        if (isBlank(bytes)) {
            throw VireoException.invalid("a JSON request body is required");
        }
        return json.read(bytes, type);
    }

    /** For operations without a request body: accepts none, or an empty JSON object. */
    void requireNoBody() {
        byte[] bytes = readBody();
        if (!isBlank(bytes)) {
            requireJson();
            json.read(bytes, EmptyJson.class);
        }
    }

    private Parameter declared(String name) {
        Parameter parameter = operation.parameter(Parameter.Location.QUERY, name);
        if (parameter == null) {
            throw new IllegalStateException(operation.operationId() + " declares no query parameter " + name);
        }
        return parameter;
    }

    private void requireJson() {
        String contentType = ctx.header("Content-Type");
        if (!MediaTypes.isJson(contentType)) {
            throw new VireoException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be " + MediaTypes.JSON + ", not "
                            + (contentType == null ? "undeclared" : "'" + contentType + "'"),
                    Map.of("expected", MediaTypes.JSON));
        }
    }

    private byte[] readBody() {
        if (ctx.req().getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw VireoException.invalid("the request body could not be read");
        }
    }

    private VireoException tooLarge() {
        return new VireoException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes",
                Map.of("maxBytes", maxBodyBytes));
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
