package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.controller.port.EventFilter;
import io.vireo.model.ImageFormat;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Idempotency-Key} on {@code POST /vms}: the same key with the same request (however its JSON is written) gives
 * the first answer again; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED and creates nothing.
 */
class IdempotencyApiTest {
    private static final String KEY = "create-web-1";
    private static final String WEB = "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}";
    private static final String GANG = "{\"name\":\"app\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":3}";

    private final ApiFixture api = new ApiFixture().withCatalog();

    {
        api.catalog.createFlavor("large", 4, 4096, 10);
        api.catalog.createImage(ApiFixture.ADMIN, "debian", ImageFormat.QCOW2, 0);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A body and what the same key with it must give after {@link #WEB} (or {@link #GANG}) was created with it. */
    record Retry(String description, String first, String body, boolean same) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Retry> retries() {
        return Stream.of(
                new Retry("the same bytes", WEB, WEB, true),
                new Retry(
                        "other whitespace and field order",
                        WEB,
                        "{ \"image\" : \"cirros\",\n \"name\":\"web\", \"flavor\": \"small\" }\n",
                        true),
                new Retry(
                        "defaults written out",
                        WEB,
                        "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\",\"count\":1,\"traits\":[],"
                                + "\"sshKeys\":[],\"volumes\":[],\"keepVolumes\":false,\"serverGroup\":null}",
                        true),
                new Retry("another name", WEB, WEB.replace("\"web\"", "\"db\""), false),
                new Retry("another flavor", WEB, WEB.replace("small", "large"), false),
                new Retry("another image", WEB, WEB.replace("cirros", "debian"), false),
                new Retry("a trait more", WEB, WEB.replace("}", ",\"traits\":[\"cpu.avx2\"]}"), false),
                new Retry("a zone", WEB, WEB.replace("}", ",\"availabilityZone\":\"zone-a\"}"), false),
                new Retry("user data", WEB, WEB.replace("}", ",\"userData\":\"#cloud-config\\n\"}"), false),
                new Retry("a count of 2", WEB, WEB.replace("}", ",\"count\":2}"), false),
                new Retry(
                        "the same gang, reordered",
                        GANG,
                        "{\"count\":3,\"image\":\"cirros\",\"flavor\":\"small\"," + "\"name\":\"app\"}",
                        true),
                new Retry("a gang of another size", GANG, GANG.replace("3", "4"), false),
                new Retry("a gang of another name", GANG, GANG.replace("app", "api"), false),
                new Retry("one VM of the gang's name", GANG, GANG.replace(",\"count\":3", ""), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retries")
    void aKeyGivesTheFirstAnswerForTheSameRequestOnly(Retry retry) {
        TestResponse first = create(retry.first(), KEY);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        int created = api.liveVms().size();

        TestResponse again = create(retry.body(), KEY);

        if (retry.same()) {
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.json()).isEqualTo(first.json());
        } else {
            JsonNode error = again.assertError(422, "IDEMPOTENCY_KEY_REUSED");
            assertThat(error.path("message").asText()).contains("'" + KEY + "'");
            assertThat(error.path("details").path("idempotencyKey").asText()).isEqualTo(KEY);
        }
        assertThat(api.liveVms()).hasSize(created);
        assertThat(api.store.events().list(new EventFilter("vm", null, null, 0, 1000)).stream()
                        .filter(event -> event.type().equals("Created")))
                .hasSize(created);
    }

    private TestResponse create(String body, String key) {
        return api.send(api.request("/api/v1/vms")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
