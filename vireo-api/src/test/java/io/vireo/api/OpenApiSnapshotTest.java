package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed copy of the OpenAPI document ({@code vireo-api/openapi.json}, for clients and reviewers) is the one the
 * server serves. After an intended change, regenerate it with {@code -Dvireo.api.writeOpenApi=true}.
 */
class OpenApiSnapshotTest {
    private static final Path COPY = Path.of("openapi.json");

    @Test
    void committedCopyIsCurrent() throws IOException {
        String served;
        try (ApiFixture api = new ApiFixture()) {
            ObjectMapper mapper = new ObjectMapper();
            served = mapper.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(api.get("/api/v1/openapi.json").json())
                    + "\n";
        }
        if (Boolean.getBoolean("vireo.api.writeOpenApi")) {
            Files.writeString(COPY, served, UTF_8);
        }

        assertThat(Files.readString(COPY, UTF_8))
                .as("%s is stale: rerun this test with -Dvireo.api.writeOpenApi=true", COPY.toAbsolutePath())
                .isEqualTo(served);
    }
}
