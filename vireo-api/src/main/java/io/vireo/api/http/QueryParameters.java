package io.vireo.api.http;

import io.vireo.common.VireoException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a request's query against the operation's declared query parameters. */
final class QueryParameters {
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,18}");

    private QueryParameters() {}

    /**
     * Returns the single value of each query parameter, after checking that each is declared, given once and valid for
     * its schema; throws INVALID_ARGUMENT otherwise.
     */
    static Map<String, String> validate(Operation operation, Map<String, List<String>> query) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey();
            Parameter parameter = operation.parameter(Parameter.Location.QUERY, name);
            if (parameter == null) {
                throw VireoException.invalid(
                        name,
                        "unknown query parameter; expected "
                                + declaredNames(operation).orElse("none"));
            }
            if (entry.getValue().size() != 1) {
                throw VireoException.invalid(name, "must be given once");
            }
            String value = entry.getValue().get(0);
            check(parameter, value);
            values.put(name, value);
        }
        return values;
    }

    private static Optional<String> declaredNames(Operation operation) {
        List<String> names = operation.parameters().stream()
                .filter(parameter -> parameter.location() == Parameter.Location.QUERY)
                .map(Parameter::name)
                .toList();
        return names.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", names));
    }

    private static void check(Parameter parameter, String value) {
        switch (parameter.schema()) {
            case Parameter.TextSchema text -> checkText(parameter.name(), text, value);
            case Parameter.IntegerSchema integer -> parseInteger(parameter.name(), integer, value);
        }
    }

    private static void checkText(String name, Parameter.TextSchema text, String value) {
        if (value.isEmpty() || value.length() > text.maxLength()) {
            throw VireoException.invalid(name, "must be 1-" + text.maxLength() + " characters");
        }
        if (!text.allowedValues().isEmpty() && !text.allowedValues().contains(value)) {
            throw VireoException.invalid(name, "must be one of " + String.join(", ", text.allowedValues()));
        }
    }

    static long parseInteger(String name, Parameter.IntegerSchema integer, String value) {
        long parsed = DECIMAL.matcher(value).matches() ? Long.parseLong(value) : Long.MIN_VALUE;
        if (parsed < integer.minimum() || parsed > integer.maximum()) {
            throw VireoException.invalid(
                    name, "must be an integer from " + integer.minimum() + " to " + integer.maximum());
        }
        return parsed;
    }
}
