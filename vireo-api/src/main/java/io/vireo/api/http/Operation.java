package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint does, as the OpenAPI document describes it and the dispatcher enforces it: whether it needs a bearer
 * token, which parameters it takes (undeclared query parameters are rejected), its request body, its success response
 * and the error codes it answers with besides those every operation of its kind may return.
 */
public record Operation(
        String operationId,
        String summary,
        boolean authenticated,
        List<Parameter> parameters,
        @Nullable Class<? extends Record> requestBody,
        int successStatus,
        String successDescription,
        Payload response,
        Set<ErrorCode> errors,
        Access access) {
    /** Who besides an authenticated user may call, and what the request body is when it is not JSON. */
    public record Access(boolean agents, boolean binaryRequestBody) {
        static final Access USERS_JSON = new Access(false, false);
    }

    public Operation {
        requireNonNull(operationId, "operationId is null");
        requireNonNull(summary, "summary is null");
        parameters = List.copyOf(parameters);
        requireNonNull(successDescription, "successDescription is null");
        requireNonNull(response, "response is null");
        errors = Set.copyOf(errors);
        requireNonNull(access, "access is null");
        if (access.binaryRequestBody() && requestBody != null) {
            throw new IllegalArgumentException("a request body is either JSON or binary");
        }
        if (successStatus < 200 || successStatus > 299) {
            throw new IllegalArgumentException("success status must be 2xx: " + successStatus);
        }
    }

    public static Builder builder(String operationId, String summary) {
        return new Builder(operationId, summary);
    }

    /** The declared parameter of that name and location, if any. */
    public @Nullable Parameter parameter(Parameter.Location location, String name) {
        for (Parameter parameter : parameters) {
            if (parameter.location() == location && parameter.name().equals(name)) {
                return parameter;
            }
        }
        return null;
    }

    /** Builds an {@link Operation}; authenticated, answering 200 with no body unless told otherwise. */
    public static final class Builder {
        private final String operationId;
        private final String summary;
        private boolean authenticated = true;
        private final List<Parameter> parameters = new ArrayList<>();
        private @Nullable Class<? extends Record> requestBody;
        private int successStatus = 200;
        private String successDescription = "OK";
        private Payload response = Payload.none();
        private final Set<ErrorCode> errors = EnumSet.noneOf(ErrorCode.class);
        private Access access = Access.USERS_JSON;

        private Builder(String operationId, String summary) {
            this.operationId = requireNonNull(operationId, "operationId is null");
            this.summary = requireNonNull(summary, "summary is null");
        }

        /** Served without a bearer token. */
        public Builder publicAccess() {
            this.authenticated = false;
            return this;
        }

        /** Also served to host agents presenting the agents' credential. */
        public Builder agentAccess() {
            this.access = new Access(true, access.binaryRequestBody());
            return this;
        }

        /** Takes a raw {@code application/octet-stream} body, which the handler streams. */
        public Builder binaryRequestBody() {
            this.access = new Access(access.agents(), true);
            return this;
        }

        public Builder parameter(Parameter parameter) {
            parameters.add(requireNonNull(parameter, "parameter is null"));
            return this;
        }

        /** Adds the {@code limit} and {@code cursor} query parameters of a paged list. */
        public Builder paged() {
            parameter(Parameter.queryInteger(
                    Paging.LIMIT, "The most items to return.", 1, Paging.MAX_LIMIT, Paging.DEFAULT_LIMIT));
            return parameter(Parameter.query(Paging.CURSOR, "The nextCursor of the previous page."));
        }

        public Builder requestBody(Class<? extends Record> type) {
            this.requestBody = requireNonNull(type, "type is null");
            return this;
        }

        public Builder responds(int status, String description, Payload payload) {
            this.successStatus = status;
            this.successDescription = requireNonNull(description, "description is null");
            this.response = requireNonNull(payload, "payload is null");
            return this;
        }

        public Builder errors(ErrorCode... codes) {
            errors.addAll(List.of(codes));
            return this;
        }

        public Operation build() {
            return new Operation(
                    operationId,
                    summary,
                    authenticated,
                    parameters,
                    requestBody,
                    successStatus,
                    successDescription,
                    response,
                    errors,
                    access);
        }
    }
}
