package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and path (Javalin syntax, which for {@code {name}} placeholders is also OpenAPI's) with its operation. The
 * path's placeholders and the operation's path parameters must name the same things, in the same order.
 */
public record Endpoint(HttpMethod method, String path, Operation operation) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    public Endpoint {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(operation, "operation is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        List<String> declared = operation.parameters().stream()
                .filter(parameter -> parameter.location() == Parameter.Location.PATH)
                .map(Parameter::name)
                .toList();
        if (!declared.equals(placeholders(path))) {
            throw new IllegalArgumentException(
                    path + ": placeholders " + placeholders(path) + " differ from path parameters " + declared);
        }
    }

    public static List<String> placeholders(String path) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
