package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** A response as the tests see it. */
record TestResponse(int status, HttpHeaders headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    String header(String name) {
        return headers.firstValue(name).orElseThrow(() -> new AssertionError("no header " + name + " in " + headers));
    }

    /** Asserts the one error shape with this status and code; returns the error object. */
    JsonNode assertError(int expectedStatus, String expectedCode) {
        assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
        assertThat(header("Content-Type")).startsWith("application/json");
        JsonNode root = json();
        assertThat(root.size()).as("only 'error' at the top: %s", body).isEqualTo(1);
        JsonNode error = root.path("error");
        assertThat(error.path("code").asText()).as(body).isEqualTo(expectedCode);
        assertThat(error.path("message").isTextual()).as(body).isTrue();
        assertThat(error.path("message").asText()).as(body).isNotBlank();
        assertThat(error.path("details").isObject()).as(body).isTrue();
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }
}
