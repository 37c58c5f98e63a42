package io.vireo.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small parsing rules of the edge, table-driven. */
class EdgeRulesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "application/json | true",
                "Application/JSON | true",
                "application/json; charset=utf-8 | true",
                "application/json;charset=UTF-8 | true",
                "application/json; charset=utf-8; foo=bar | true",
                "application/json; charset=iso-8859-1 | false",
                "application/jsonx | false",
                "text/json | false",
                "text/plain | false",
                "'' | false",
                "NULL | false"
            })
    void jsonContentTypes(@Nullable String contentType, boolean json) {
        assertThat(MediaTypes.isJson(contentType)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "Bearer abc | abc",
                "bearer abc | abc",
                "BEARER abc | abc",
                "Bearer   abc   | abc",
                "Bearer | NULL",
                "'Bearer ' | NULL",
                "Basic abc | NULL",
                "abc | NULL",
                "Bearerabc | NULL",
                "NULL | NULL"
            })
    void bearerTokens(@Nullable String header, @Nullable String token) {
        assertThat(RouteDispatcher.bearerToken(header)).isEqualTo(Optional.ofNullable(token));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "abc | true",
                "A-b_c.9 | true",
                "0123456789012345678901234567890123456789012345678901234567890123 | true",
                "01234567890123456789012345678901234567890123456789012345678901234 | false",
                "'' | false",
                "a b | false",
                "a;b | false",
                "a/b | false",
                "caf\u00e9 | false"
            })
    void saneCorrelationIds(String candidate, boolean sane) {
        assertThat(CorrelationIds.isSane(candidate)).isEqualTo(sane);
    }
}
